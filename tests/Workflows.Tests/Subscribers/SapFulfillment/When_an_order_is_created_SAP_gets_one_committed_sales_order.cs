using OrderEvents.CustomCode.Storage;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_an_order_is_created_SAP_gets_one_committed_sales_order
{
    [TestMethod]
    public async Task The_BAPI_is_called_with_auto_commit_and_SAP_commits_it_with_the_call()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Succeeded", run.Outcome());
        var call = scenario.Sap.BapiCalls.Single();
        Assert.AreEqual("BUS2032", call.Parameters.Value<string>("businessObject"));
        StringAssert.StartsWith(call.Parameters.Value<string>("method"), "CREATEFROMDAT2");
        Assert.IsTrue(call.Parameters.Value<bool>("autoCommit"));
        StringAssert.Contains(call.Parameters.Value<string>("body"), ">100482</PURCH_NO_C>");
        Assert.IsNull(call.Parameters["sessionId"], "a stateless call: the connector commits on the same connection");
        Assert.AreSame(call, scenario.Sap.Committed.Single());
        Assert.AreEqual(0, scenario.Sap.Calls("createSession").Count + scenario.Sap.Calls("bapiCommit").Count + scenario.Sap.Calls("bapiRollback").Count);
    }

    [TestMethod]
    public async Task The_sales_document_is_recorded_in_the_orders_record_which_was_the_claim()
    {
        using var scenario = new WorkflowScenario();
        var expected = scenario.Sap.NextSalesDocument;

        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var found = await scenario.CustomCode.InvokeAsync("FindSapSalesOrder", new() { ["orderId"] = "100482" }, CancellationToken.None);
        Assert.AreEqual(expected, found.Value<string>("salesDocument"));
        Assert.AreEqual("order-100482-created-v1", found.Value<string>("createdBy"));
        var record = await scenario.IdempotencyRecord("sap-orders", "100482");
        Assert.IsNotNull(record);
        Assert.AreEqual("Completed", record.Value<string>("state"));
        Assert.AreEqual("CreateSalesOrder", record["result"]?.Value<string>("operation"));
        Assert.AreEqual(expected, record["result"]?.Value<string>("salesDocument"));
        Assert.IsNull(await scenario.IdempotencyRecord("sap-fulfillment", "order-100482-created-v1"), "a create claims the order, not its message");
    }

    [TestMethod]
    public async Task The_create_costs_two_storage_transactions_the_orders_claim_and_its_completion()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        scenario.Storage.Reset();

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), scenario.Storage.Total);
    }

    [TestMethod]
    public async Task The_run_is_tracked_by_the_events_correlation_id_with_order_message_and_settlement_properties()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", run.ClientTrackingId);
        var tracked = run.Action("Prepare_the_SAP_sales_order").TrackedProperties!;
        Assert.AreEqual("100482", tracked.Value<string>("orderId"));
        Assert.AreEqual("order-100482-created-v1", tracked.Value<string>("messageId"));
        Assert.AreEqual("OrderCreated", tracked.Value<string>("eventType"));
        Assert.AreEqual("sap-fulfillment", tracked.Value<string>("subscriber"));
        Assert.AreEqual(1, tracked.Value<int>("deliveryCount"));
        var settlement = run.Action("Decide_settlement").TrackedProperties!;
        Assert.AreEqual("Succeeded", settlement.Value<string>("outcome"));
        Assert.AreEqual("complete", settlement.Value<string>("settlement"));
        Assert.AreEqual(scenario.Sap.BapiCalls.Single().Parameters.Value<string>("method"), run.Action("Call_SAP_BAPI").TrackedProperties!.Value<string>("method"));
    }
}
