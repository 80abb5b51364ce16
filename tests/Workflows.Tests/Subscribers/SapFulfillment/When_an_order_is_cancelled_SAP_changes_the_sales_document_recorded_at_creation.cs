using OrderEvents.CustomCode.Storage;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_an_order_is_cancelled_SAP_changes_the_sales_document_recorded_at_creation
{
    [TestMethod]
    public async Task The_cancel_rejects_the_items_of_the_sales_document_that_OrderCreated_recorded()
    {
        using var scenario = new WorkflowScenario();
        var salesDocument = scenario.Sap.NextSalesDocument;
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var run = await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCancelled.with-reason.json"));

        run.ShouldHaveSucceeded();
        var prepared = run.Action("Prepare_the_SAP_sales_order");
        Assert.AreEqual(salesDocument, prepared.TrackedProperties!.Value<string>("salesDocument"));
        Assert.AreEqual("RejectItems", prepared.TrackedProperties!.Value<string>("operation"));
        var change = scenario.Sap.BapiCalls.Last();
        StringAssert.StartsWith(change.Parameters.Value<string>("method"), "CHANGE");
        StringAssert.Contains(change.Parameters.Value<string>("body"), salesDocument);
        Assert.AreEqual("completeMessageInSession", scenario.Bus.Settlements.Last().Operation);
    }

    [TestMethod]
    [DataRow("valid/OrderCancelled.with-reason.json", 2)]
    [DataRow("valid/OrderUpdated.opt-in-without-phone.json", 1)]
    public async Task A_change_costs_the_lookup_of_its_sales_document_and_two_storage_transactions_for_its_claim(string sample, int replaces)
    {
        using var scenario = new WorkflowScenario();
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));
        var change = await scenario.Delivery(sample);
        scenario.Storage.Reset();

        var run = await scenario.DeliverAsync("SapFulfillment", change);

        run.ShouldHaveSucceeded();
        StringAssert.StartsWith(scenario.Sap.BapiCalls.Last().Parameters.Value<string>("method"), "CHANGE");
        // A cancellation writes one more: itself, into the order's record (When_an_update_arrives_after_its_orders_cancellation_it_is_not_applied).
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 1, Replaces: replaces, Deletes: 0, Lists: 0), scenario.Storage.Total);
    }

    [TestMethod]
    public async Task A_cancel_for_an_order_SAP_never_got_is_dead_lettered_as_rejected()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCancelled.with-reason.json");

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveFailedWith("DownstreamRejected");
        Assert.AreEqual(0, scenario.Sap.BapiCalls.Count);
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("DownstreamRejected", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "sapSalesOrderNumber");
    }
}
