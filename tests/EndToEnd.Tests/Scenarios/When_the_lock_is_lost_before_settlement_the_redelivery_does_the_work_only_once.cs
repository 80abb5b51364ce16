using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.Reporting;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_the_lock_is_lost_before_settlement_the_redelivery_does_the_work_only_once
{
    [TestMethod]
    [DataRow("SmsNotification")]
    [DataRow("LakeArchive")]
    public async Task A_peek_lock_subscriber_sees_the_message_again_after_the_lock_expired_and_finds_it_done(string workflow)
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        app.Host.ServiceBusConnector.Faults.FailNext(1, ServiceBusFault.LockLost(), $"{workflow}:completeTopicMessageV2");

        await app.PublishAsync(LocalApp.Order("B-LOCK-1"));
        await app.RunsFinishedAsync(workflow, "B-LOCK-1-ordercreated-v1", 1);
        app.Clock!.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1)); // the subscriptions' LockDuration is PT1M
        await app.SettledAsync();

        var runs = app.RunsOf(workflow, "B-LOCK-1-ordercreated-v1");
        Assert.HasCount(2, runs, app.Timeline(workflow, "B-LOCK-1-ordercreated-v1"));
        Assert.AreEqual("Failed", LocalApp.ActionStatus(runs[0], "Complete_the_message"));
        Assert.AreEqual(2, runs[1].Trigger.Outputs["body"]!.Value<int>("deliveryCount"));
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Claim(runs[1]));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("B-LOCK-1"));
    }

    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("WarehouseInventory")]
    public async Task A_session_subscriber_gets_the_message_again_when_the_session_is_reopened_and_finds_it_done(string workflow)
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        app.Host.ServiceBusConnector.Faults.FailNext(1, ServiceBusFault.SessionLockLost(), $"{workflow}:completeMessageInSession");

        await app.PublishAsync(LocalApp.Order("B-LOCK-2"));
        await app.SettledAsync();

        var runs = app.RunsOf(workflow, "B-LOCK-2-ordercreated-v1");
        Assert.HasCount(2, runs, app.Timeline(workflow, "B-LOCK-2-ordercreated-v1"));
        Assert.AreEqual("Failed", LocalApp.ActionStatus(runs[0], "Complete_the_message"));
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Claim(runs[1]));
        Assert.AreEqual("Succeeded", LocalApp.ActionStatus(runs[1], "Complete_the_message"));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("B-LOCK-2"));
    }

    [TestMethod]
    public async Task A_dead_letter_whose_alert_lock_expired_is_redelivered_and_completed_without_a_second_card()
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        app.Host.ServiceBusConnector.Faults.FailNext(1, ServiceBusFault.LockLost(), "completeQueueMessageV2");

        await app.SendPoisonAsync("B-LOCK-3", "B-LOCK-3-ORDER", routedToAll: false);
        await app.RunsFinishedAsync("LakeArchiveDeadLetters", "B-LOCK-3", 1);
        app.Clock!.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)); // deadletters-* LockDuration is PT5M
        await app.SettledAsync();

        var runs = app.RunsOf("LakeArchiveDeadLetters", "B-LOCK-3");
        Assert.HasCount(2, runs);
        Assert.AreEqual("Failed", LocalApp.ActionStatus(runs[0], "Complete_the_dead_letter"));
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Body(runs[1], "Claim_the_alert")!.Value<string>("state"));
        Assert.AreEqual("Skipped", LocalApp.ActionStatus(runs[1], "Post_alert_to_Teams"));
        Assert.AreEqual("Succeeded", LocalApp.ActionStatus(runs[1], "Complete_the_dead_letter"));
        Assert.AreEqual(1, app.Host.Teams.PostedCards.Count(c => c.Text.Contains("B-LOCK-3", StringComparison.Ordinal)), "one card per dead letter");
        var archived = await app.Host.Store.ListAsync(app.Host.CustomCode.Options.LakeContainer, "deadletters/lake-archive/").ToListAsync();
        Assert.HasCount(1, archived);
    }
}
