using Workflows.Runtime;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

/// <summary>A resubmitted run must be safe: resubmitting an alert run whose card was posted finds the dead letter's
/// claim completed, posts nothing and keeps the one archive copy (a run whose post failed released its claim, so its
/// resubmission posts the card).</summary>
[TestClass]
public sealed class When_an_alerted_dead_letter_run_is_resubmitted_no_second_card_is_posted
{
    [TestMethod]
    public async Task The_resubmitted_run_posts_no_card_keeps_one_archive_copy_and_fails_on_the_settled_lock()
    {
        using var scenario = new WorkflowScenario();
        var original = await scenario.DeliverAsync(DeadLetters.Sap,
            scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad")));

        var resubmitted = await scenario.ResubmitAsync(original);

        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual(1, scenario.Teams.Count, "the card was posted once, by the original run");
        Assert.AreEqual("AlreadyCompleted", resubmitted.Action("Claim_the_alert").Body()!.Value<string>("state"));
        Assert.IsFalse(resubmitted.Action("Archive_dead_letter").Body()!.Value<bool>("created"));
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "deadletters/")).Count);
        Assert.AreEqual("MessageLockLost", resubmitted.Action("Complete_the_dead_letter").Body()?.Value<string>("errorCode"));
        Assert.AreEqual(WorkflowStatus.Failed, resubmitted.Status);
    }

    [TestMethod]
    public async Task A_resubmitted_run_whose_post_failed_posts_the_card()
    {
        using var scenario = new WorkflowScenario();
        scenario.AnswerTeamsWith(new ConnectorResponse(503), times: 4);
        var original = await scenario.DeliverAsync(DeadLetters.Sap,
            scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad")));

        var resubmitted = await scenario.ResubmitAsync(original);

        Assert.AreEqual(WorkflowStatus.Failed, original.Action("Post_alert_to_Teams").Status);
        Assert.AreEqual("Started", resubmitted.Action("Claim_the_alert").Body()!.Value<string>("state"));
        Assert.AreEqual(WorkflowStatus.Succeeded, resubmitted.Action("Post_alert_to_Teams").Status);
        Assert.AreEqual(5, scenario.Teams.Count, "four failed attempts, then the resubmission's card");
    }
}
