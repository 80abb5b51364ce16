using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_the_lock_is_lost_after_SAP_committed_the_order_is_not_created_twice
{
    [TestMethod]
    public async Task The_run_succeeds_and_records_that_settlement_was_skipped()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        // SAP is slow: the lock expires while the run works, before it settles.
        scenario.Sap.BeforeNextCall(() => scenario.Bus.ExpireLock(delivery));

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveSucceeded();
        var complete = run.Action("Complete_the_message");
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Failed, complete.Status);
        Assert.AreEqual("MessageLockLost", complete.Body()?.Value<string>("errorCode"));
        var skipped = run.Succeeded("Record_settlement_skipped").TrackedProperties!;
        Assert.AreEqual("SettlementSkipped: lock expired", skipped.Value<string>("settlement"));
        Assert.AreEqual("Succeeded", skipped.Value<string>("outcome"));
        Assert.AreEqual("100482", skipped.Value<string>("orderId"));
    }

    [TestMethod]
    public async Task The_redelivery_completes_the_message_without_calling_SAP()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        scenario.Sap.BeforeNextCall(() => scenario.Bus.ExpireLock(delivery));
        await scenario.DeliverAsync("SapFulfillment", delivery);

        var redelivery = scenario.Bus.Redeliver(delivery);
        var run = await scenario.DeliverAsync("SapFulfillment", redelivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.AreEqual(1, scenario.Sap.BapiCalls.Count);
        var settlement = scenario.Bus.SettlementsOf(redelivery).Single();
        Assert.AreEqual("completeMessageInSession", settlement.Operation);
        Assert.IsTrue(settlement.Accepted);
    }
}
