using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>The run outlives its message lock: its work is done, but the broker refuses the completion. The run still
/// succeeds, recording that the settlement was skipped; the broker's redelivery finds the work done and completes.</summary>
[TestClass]
public sealed class When_the_lock_is_lost_before_settlement_the_redelivery_does_not_repeat_the_work
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_run_succeeds_and_records_that_the_settlement_was_skipped(string workflow)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        LoseTheLockWhileWorking(scenario, workflow, delivery);

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveSucceeded();
        var complete = run.Action("Complete_the_message");
        Assert.AreEqual(WorkflowStatus.Failed, complete.Status);
        Assert.AreEqual("MessageLockLost", complete.Body()?.Value<string>("errorCode"));
        var skipped = run.Succeeded("Record_settlement_skipped").TrackedProperties!;
        Assert.AreEqual("SettlementSkipped: lock expired", skipped.Value<string>("settlement"));
        Assert.AreEqual("Succeeded", skipped.Value<string>("outcome"));
        Assert.AreEqual("100482", skipped.Value<string>("orderId"));
    }

    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_redelivery_completes_the_message_without_doing_the_work_again(string workflow)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        LoseTheLockWhileWorking(scenario, workflow, delivery);
        await scenario.DeliverAsync(workflow, delivery);

        var redelivery = scenario.Bus.Redeliver(delivery);
        var run = await scenario.DeliverAsync(workflow, redelivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.AreEqual(1, await subscriber.WorkDone(scenario));
        var settlement = scenario.Bus.SettlementsOf(redelivery).Single();
        Assert.AreEqual(subscriber.Complete, settlement.Operation);
        Assert.IsTrue(settlement.Accepted);
    }

    /// <summary>SAP is slow: the lock expires during the call, after SAP committed (it commits with the call). The
    /// others' work is quick: their lock is gone before the run starts, which their run cannot notice before it settles.</summary>
    private static void LoseTheLockWhileWorking(WorkflowScenario scenario, string workflow, Newtonsoft.Json.Linq.JObject delivery)
    {
        if (workflow == "SapFulfillment") scenario.Sap.BeforeNextCall(() => scenario.Bus.ExpireLock(delivery));
        else scenario.Bus.ExpireLock(delivery);
    }
}
