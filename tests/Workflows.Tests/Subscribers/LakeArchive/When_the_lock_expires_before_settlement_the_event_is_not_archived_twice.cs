using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.LakeArchive;

[TestClass]
public sealed class When_the_lock_expires_before_settlement_the_event_is_not_archived_twice
{
    [TestMethod]
    public async Task The_run_succeeds_recording_the_skipped_settlement_and_the_redelivery_writes_nothing()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        scenario.Bus.ExpireLock(delivery);

        var run = await scenario.DeliverAsync("LakeArchive", delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Complete_the_message").Status);
        Assert.AreEqual("MessageLockLost", run.Action("Complete_the_message").Body()?.Value<string>("errorCode"));
        Assert.AreEqual("SettlementSkipped: lock expired", run.Succeeded("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));

        var redelivery = scenario.Bus.Redeliver(delivery);
        var again = await scenario.DeliverAsync("LakeArchive", redelivery);

        Assert.AreEqual("AlreadyCompleted", again.Outcome());
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "orders/")).Count);
        Assert.IsTrue(scenario.Bus.SettlementsOf(redelivery).Single().Accepted);
    }
}
