using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.LakeArchive;

[TestClass]
public sealed class When_the_lake_is_unreachable_the_message_is_retried_until_its_last_delivery
{
    private static readonly Dictionary<string, string> MaxTwoDeliveries = new() { ["Orders_LakeArchiveMaxDeliveryCount"] = "2" };

    [TestMethod]
    public async Task The_message_is_abandoned_and_a_redelivery_after_recovery_archives_it()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.Store.MakeUnavailable("orders-lake", calls: 1);
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");

        var failed = await scenario.DeliverAsync("LakeArchive", first);

        failed.ShouldHaveFailedWith("TransientFailure");
        Assert.AreEqual("abandonTopicMessageV2", scenario.Bus.SettlementsOf(first).Single().Operation);
        Assert.IsNull(await scenario.IdempotencyRecord("lake-archive", "order-100482-created-v1"));

        var second = scenario.Bus.Redeliver(first);
        var run = await scenario.DeliverAsync("LakeArchive", second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "orders/")).Count);
        Assert.AreEqual("completeTopicMessageV2", scenario.Bus.SettlementsOf(second).Single().Operation);
    }

    [TestMethod]
    public async Task The_last_delivery_is_dead_lettered_as_TransientFailureExhausted()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.Store.MakeUnavailable("orders-lake");
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("LakeArchive", first);
        var last = scenario.Bus.Redeliver(first);

        var run = await scenario.DeliverAsync("LakeArchive", last);

        run.ShouldHaveFailedWith("TransientFailure");
        var settlement = scenario.Bus.SettlementsOf(last).Single();
        Assert.AreEqual("deadLetterTopicMessageV2", settlement.Operation);
        Assert.AreEqual("TransientFailureExhausted", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "Archive_the_order_event ended Failed");
    }
}
