using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.LakeArchive;

[TestClass]
public sealed class When_a_finished_run_is_resubmitted_the_event_is_not_archived_again
{
    [TestMethod]
    public async Task The_resubmitted_run_succeeds_as_already_completed()
    {
        using var scenario = new WorkflowScenario();
        var original = await scenario.DeliverAsync("LakeArchive", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var resubmitted = await scenario.ResubmitAsync(original);

        resubmitted.ShouldHaveSucceeded();
        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual("AlreadyCompleted", resubmitted.Outcome());
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "orders/")).Count);
        Assert.AreEqual("SettlementSkipped: lock expired", resubmitted.Succeeded("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));
    }
}
