using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.LakeArchive;

[TestClass]
public sealed class When_the_message_is_not_an_order_event_it_is_dead_lettered_as_invalid
{
    [TestMethod]
    public async Task A_JSON_array_is_dead_lettered_with_reason_InvalidMessage_and_nothing_is_archived()
    {
        using var scenario = new WorkflowScenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("garbage-1", "[1, 2, 3]"));

        var run = await scenario.DeliverAsync("LakeArchive", delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("deadLetterTopicMessageV2", settlement.Operation);
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        StringAssert.StartsWith(settlement.DeadLetterErrorDescription, "The message breaks the contract: ");
        Assert.AreEqual(0, (await scenario.Objects("orders-lake")).Count);
    }
}
