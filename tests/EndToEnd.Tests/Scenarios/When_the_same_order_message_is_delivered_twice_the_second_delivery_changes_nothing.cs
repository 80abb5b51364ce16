using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_the_same_order_message_is_delivered_twice_the_second_delivery_changes_nothing
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_second_delivery_finds_the_idempotency_record_and_completes_without_side_effects(string workflow)
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        var order = LocalApp.Order("B-DUP-1");

        await app.PublishAsync(order);
        await app.SettledAsync();
        // Past the topic's duplicate-detection window (PT5M), so the broker takes the second copy.
        app.Clock!.Advance(TimeSpan.FromMinutes(6));
        await app.PublishAsync(order);
        await app.SettledAsync();

        var runs = app.RunsOf(workflow, "B-DUP-1-ordercreated-v1");
        Assert.HasCount(2, runs);
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Claim(runs[1]));
        Assert.AreEqual("complete", LocalApp.Settlement(runs[1]));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("B-DUP-1"));
    }
}
