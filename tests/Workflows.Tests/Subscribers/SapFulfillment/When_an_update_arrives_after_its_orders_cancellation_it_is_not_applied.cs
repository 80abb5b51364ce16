using OrderEvents.CustomCode.Mapping.Sap;
using OrderEvents.CustomCode.Storage;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

/// <summary>
/// The sessions apply an order's events in publishing order, but business order is <c>occurredUtc</c>: an update
/// published after the order's cancellation (out of order) must not change the cancelled sales order. The cancellation
/// records itself in the order's registry record once SAP committed it; the update's first step reads that record anyway.
/// </summary>
[TestClass]
public sealed class When_an_update_arrives_after_its_orders_cancellation_it_is_not_applied
{
    private const string Created = "valid/OrderCreated.standard.json";
    private const string Cancelled = "valid/OrderCancelled.with-reason.json"; // occurred 2025-03-02T08:00:00Z
    private const string Updated = "valid/OrderUpdated.opt-in-without-phone.json"; // occurred 2025-03-01T11:02:17.125Z, same order

    [TestMethod]
    public async Task An_update_that_occurred_before_the_cancellation_completes_as_superseded_without_calling_SAP()
    {
        using var scenario = new WorkflowScenario();
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Created));
        (await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Cancelled))).ShouldHaveSucceeded();
        var callsBefore = scenario.Sap.BapiCalls.Count;
        var update = await scenario.Delivery(Updated);
        scenario.Storage.Reset();

        var run = await scenario.DeliverAsync("SapFulfillment", update);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Superseded", run.Action("Decide_settlement").TrackedProperties!.Value<string>("outcome"));
        Assert.AreEqual(callsBefore, scenario.Sap.BapiCalls.Count, "SAP must not be called for a superseded update");
        Assert.AreEqual("completeMessageInSession", scenario.Bus.SettlementsOf(update).Single().Operation);
        // The decision costs the read of the order's record the update makes anyway, and nothing else.
        Assert.AreEqual(new StorageOperationCounts(Creates: 0, Reads: 1, Replaces: 0, Deletes: 0, Lists: 0), scenario.Storage.Total);
    }

    [TestMethod]
    public async Task An_update_that_occurred_after_the_cancellation_is_dead_lettered_with_the_reason()
    {
        using var scenario = new WorkflowScenario();
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Created));
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Cancelled));
        var callsBefore = scenario.Sap.BapiCalls.Count;
        var update = await scenario.Delivery(Updated, e => e["occurredUtc"] = "2025-03-03T10:00:00Z");

        var run = await scenario.DeliverAsync("SapFulfillment", update);

        run.ShouldHaveFailedWith("DownstreamRejected");
        Assert.AreEqual(callsBefore, scenario.Sap.BapiCalls.Count);
        var settlement = scenario.Bus.SettlementsOf(update).Single();
        Assert.AreEqual("DownstreamRejected", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "order-100482-cancelled-v1");
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "an update to a cancelled order is not applied");
    }

    [TestMethod]
    public async Task The_cancellation_records_itself_in_the_orders_record_with_one_more_write()
    {
        using var scenario = new WorkflowScenario();
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Created));
        var cancel = await scenario.Delivery(Cancelled);
        scenario.Storage.Reset();

        (await scenario.DeliverAsync("SapFulfillment", cancel)).ShouldHaveSucceeded();

        // The look-up read, the claim's create and completion, and the If-Match write of the cancellation.
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 1, Replaces: 2, Deletes: 0, Lists: 0), scenario.Storage.Total);
        var record = await scenario.IdempotencyRecord(SapSalesOrderRegistry.Consumer, "100482");
        Assert.AreEqual("order-100482-cancelled-v1", record!["cancellation"]!.Value<string>("messageId"));
        Assert.AreEqual(new DateTime(2025, 3, 2, 8, 0, 0, DateTimeKind.Utc), record["cancellation"]!.Value<DateTime>("occurredUtc").ToUniversalTime());
        Assert.AreEqual("Completed", record.Value<string>("state"), "the record stays the order's completed create claim");
    }

    [TestMethod]
    public async Task An_update_before_the_cancellation_is_applied_as_usual()
    {
        using var scenario = new WorkflowScenario();
        await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Created));

        var run = await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery(Updated));

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Succeeded", run.Action("Decide_settlement").TrackedProperties!.Value<string>("outcome"));
        StringAssert.StartsWith(scenario.Sap.BapiCalls.Last().Parameters.Value<string>("method"), "CHANGE");
    }
}
