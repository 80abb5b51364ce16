using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.LakeArchive;

[TestClass]
public sealed class When_the_same_event_is_delivered_twice_the_lake_holds_one_copy
{
    [TestMethod]
    public async Task The_second_delivery_is_completed_without_writing()
    {
        using var scenario = new WorkflowScenario();
        var message = await scenario.PublishedMessage("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("LakeArchive", scenario.Bus.Deliver(message));

        var second = scenario.Bus.Deliver(message);
        var run = await scenario.DeliverAsync("LakeArchive", second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.IsFalse(run.Action("Archive_the_order_event").Body()!["lake"]!.Value<bool>("created"), "the lake file already held the event: nothing was written");
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "orders/")).Count);
        Assert.AreEqual("completeTopicMessageV2", scenario.Bus.SettlementsOf(second).Single().Operation);
    }
}
