using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_the_same_dead_letter_is_delivered_twice_it_is_archived_once
{
    [TestMethod]
    public async Task The_second_delivery_posts_a_second_card_and_keeps_the_one_archive_copy()
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));
        await scenario.DeliverAsync(DeadLetters.Warehouse, deadLetter);
        // e.g. the first run's complete was lost: the broker hands out the same dead letter again.
        var again = scenario.Bus.Redeliver(deadLetter);

        var run = await scenario.DeliverAsync(DeadLetters.Warehouse, again);

        run.ShouldHaveSucceeded();
        // Documented design (README workflows): an alert is retried freely, a duplicate card is harmless.
        Assert.AreEqual(2, scenario.Teams.Count);
        Assert.IsFalse(run.Action("Archive_dead_letter").Body()!.Value<bool>("created"));
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "deadletters/")).Count);
        Assert.AreEqual("completeQueueMessageV2", scenario.Bus.SettlementsOf(again).Single().Operation);
    }
}
