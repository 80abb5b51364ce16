using LocalLogicApp.Samples;
using LocalLogicApp.StandIns.Sap;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace EndToEnd.Tests.StandIns;

/// <summary>The fake SAP system against the real mapping: what the custom code sends, it accepts; what it
/// answers, the custom code reads.</summary>
[TestClass]
public sealed class When_SAP_receives_the_mapped_sales_order_the_mapping_reads_its_answer
{
    private static readonly FunctionCatalog Catalog = new(new OrderEventFunctions(new CustomCodeServices(new InMemoryObjectStore(), TimeProvider.System, new CustomCodeOptions())));

    [TestMethod]
    public async Task Every_valid_created_sample_becomes_one_sales_order_whose_number_the_reader_finds()
    {
        var samples = SampleOrders.Valid(RepositoryRoot.Find()).Where(s => s.EventType == "OrderCreated" && s.Json?["data"] is JObject).ToArray();
        Assert.IsNotEmpty(samples);
        var sap = new FakeSapSystem();

        foreach (var sample in samples)
        {
            var request = await Catalog.InvokeAsync("MapToSapSalesOrder", Parameters(sample.Json!));
            var result = sap.CallBapi(null, request.Value<string>("businessObject")!, request.Value<string>("method")!, request.Value<string>("body")!, autoCommit: true);
            var read = await Catalog.InvokeAsync("ReadSapBapiResponse", new JObject { ["content"] = result.ResponseXml });

            Assert.IsFalse(result.HasErrors, $"{sample.Name}: {string.Join("; ", result.Return.Select(r => r.Message))}");
            Assert.IsTrue(read.Value<bool>("succeeded"), sample.Name);
            Assert.AreEqual(result.SalesDocument, read.Value<string>("salesDocument"), sample.Name);
            Assert.HasCount(1, sap.SalesOrdersForPurchaseOrder(sample.OrderId!), sample.Name);
        }
    }

    [TestMethod]
    public async Task A_cancellation_mapped_with_the_recorded_number_rejects_every_item()
    {
        var created = SampleOrders.Valid(RepositoryRoot.Find()).First(s => s.Name == "OrderCreated.standard");
        var sap = new FakeSapSystem();
        var create = await Catalog.InvokeAsync("MapToSapSalesOrder", Parameters(created.Json!));
        var document = sap.CallBapi(null, "BUS2032", create.Value<string>("method")!, create.Value<string>("body")!, autoCommit: true).SalesDocument!;
        var cancelled = (JObject)created.Json!.DeepClone();
        cancelled["eventType"] = "OrderCancelled";
        cancelled["messageId"] = "cancel-1";

        var cancel = await Catalog.InvokeAsync("MapToSapSalesOrder", Parameters(cancelled, document));
        var result = sap.CallBapi(null, "BUS2032", cancel.Value<string>("method")!, cancel.Value<string>("body")!, autoCommit: true);

        Assert.IsFalse(result.HasErrors, string.Join("; ", result.Return.Select(r => r.Message)));
        Assert.AreEqual(SapSalesOrder.Rejected, sap.SalesOrders[document].Status);
    }

    private static JObject Parameters(JToken orderEvent, string? salesDocument = null)
    {
        var parameters = new JObject
        {
            ["orderEvent"] = orderEvent,
            ["salesOrganization"] = "1000",
            ["distributionChannel"] = "10",
            ["division"] = "00",
            ["documentType"] = "TA",
        };
        if (salesDocument is not null) parameters["sapSalesOrderNumber"] = salesDocument;
        return parameters;
    }
}
