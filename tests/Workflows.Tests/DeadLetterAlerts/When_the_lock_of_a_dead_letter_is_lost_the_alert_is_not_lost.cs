using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_the_lock_of_a_dead_letter_is_lost_the_alert_is_not_lost
{
    [TestMethod]
    public async Task The_run_shows_the_failed_complete_and_the_redelivery_completes_it()
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));
        scenario.Bus.ExpireLock(deadLetter);

        var run = await scenario.DeliverAsync(DeadLetters.Lake, deadLetter);

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Complete_the_dead_letter").Status);
        Assert.AreEqual("MessageLockLost", run.Action("Complete_the_dead_letter").Body()?.Value<string>("errorCode"));
        Assert.AreEqual(WorkflowStatus.Failed, run.Status, "a settle failure is visible in run history");

        var redelivery = scenario.Bus.Redeliver(deadLetter);
        var again = await scenario.DeliverAsync(DeadLetters.Lake, redelivery);

        again.ShouldHaveSucceeded();
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "deadletters/")).Count);
        Assert.IsTrue(scenario.Bus.SettlementsOf(redelivery).Single().Accepted);
    }
}
