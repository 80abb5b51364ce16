using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Behaviour;

[TestClass]
public sealed class When_a_finished_run_is_resubmitted_nothing_happens_twice_downstream
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_resubmitted_subscriber_run_finds_the_idempotency_record(string workflow)
    {
        await using var app = await BehaviourApp.StartAsync();
        await app.PublishAsync(BehaviourApp.Order("B-RESUB-1"));
        await app.SettledAsync();
        var original = app.RunsOf(workflow, "B-RESUB-1-ordercreated").Single();

        var resubmitted = await app.Host.Engine.ResubmitAsync(original.Id);
        await app.SettledAsync();

        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual("AlreadyCompleted", LocalLogicApp.Reporting.SubscriberRuns.Claim(resubmitted));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("B-RESUB-1"));
    }

    [TestMethod]
    public async Task A_resubmitted_intake_run_publishes_the_same_messageId_which_the_topic_drops_as_a_duplicate()
    {
        await using var app = await BehaviourApp.StartAsync();
        var first = await app.Host.Engine.InvokeRequestTriggerAsync("OrderIntake", null, "POST", new JObject(), BehaviourApp.Order("B-RESUB-2"), null);
        await first.Run!.Completion;
        await app.SettledAsync();

        var resubmitted = await app.Host.Engine.ResubmitAsync(first.Run.Id);
        await app.SettledAsync();

        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, resubmitted.Status);
        Assert.HasCount(1, app.RunsOf("LakeArchive", "B-RESUB-2-ordercreated"));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("B-RESUB-2"));
    }

    [TestMethod]
    public async Task A_resubmitted_alert_run_posts_the_card_again_but_keeps_one_archive()
    {
        await using var app = await BehaviourApp.StartAsync();
        await app.SendPoisonAsync("B-RESUB-3", "B-RESUB-3-ORDER", routedToAll: false);
        await app.SettledAsync();
        var original = app.RunsOf("LakeArchiveDeadLetters", "B-RESUB-3").Single();

        var resubmitted = await app.Host.Engine.ResubmitAsync(original.Id);

        Assert.AreEqual("Succeeded", BehaviourApp.ActionStatus(resubmitted, "Post_alert_to_Teams"));
        Assert.AreEqual(false, LocalLogicApp.Reporting.SubscriberRuns.Body(resubmitted, "Archive_dead_letter")?.Value<bool>("created"));
        Assert.AreEqual(2, app.Host.Teams.PostedCards.Count(c => c.Text.Contains("B-RESUB-3", StringComparison.Ordinal)));
    }
}
