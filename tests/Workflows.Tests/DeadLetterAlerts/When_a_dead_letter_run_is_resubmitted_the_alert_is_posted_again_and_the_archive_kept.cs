using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_a_dead_letter_run_is_resubmitted_the_alert_is_posted_again_and_the_archive_kept
{
    [TestMethod]
    public async Task The_resubmitted_run_reposts_the_card_keeps_one_archive_copy_and_fails_on_the_settled_lock()
    {
        using var scenario = new WorkflowScenario();
        var original = await scenario.DeliverAsync(DeadLetters.Sap,
            scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad")));

        var resubmitted = await scenario.ResubmitAsync(original);

        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual(2, scenario.Teams.Count, "an operator resubmits a dead-letter run to post its alert again");
        Assert.IsFalse(resubmitted.Action("Archive_dead_letter").Body()!.Value<bool>("created"));
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "deadletters/")).Count);
        Assert.AreEqual("MessageLockLost", resubmitted.Action("Complete_the_dead_letter").Body()?.Value<string>("errorCode"));
        Assert.AreEqual(WorkflowStatus.Failed, resubmitted.Status);
    }
}
