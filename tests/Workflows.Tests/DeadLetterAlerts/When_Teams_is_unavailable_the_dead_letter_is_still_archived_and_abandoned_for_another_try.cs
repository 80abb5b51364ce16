using Workflows.Runtime;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_Teams_is_unavailable_the_dead_letter_is_still_archived_and_abandoned_for_another_try
{
    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Sms)]
    [DataRow(DeadLetters.Warehouse)]
    [DataRow(DeadLetters.Lake)]
    public async Task The_run_fails_naming_the_undelivered_alert_after_archiving_and_abandoning(string workflow)
    {
        using var scenario = new WorkflowScenario();
        scenario.AnswerTeamsWith(new ConnectorResponse(503, new Newtonsoft.Json.Linq.JObject { ["error"] = new Newtonsoft.Json.Linq.JObject { ["code"] = "ServiceUnavailable", ["message"] = "Teams is unavailable." } }), times: 4);
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));

        var run = await scenario.DeliverAsync(workflow, deadLetter);

        run.ShouldHaveFailedWith("DeadLetterAlertNotDelivered");
        Assert.AreEqual(4, scenario.Teams.Count, "the first post and the policy's three retries");
        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Post_alert_to_Teams").Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Archive_dead_letter").Status);
        var archived = run.Action("Archive_dead_letter").Body()!.Value<string>("path");
        CollectionAssert.AreEqual(new[] { archived }, (await scenario.Objects("orders-lake")).ToArray());
        var settlement = scenario.Bus.SettlementsOf(deadLetter).Single();
        Assert.AreEqual("abandonQueueMessageV2", settlement.Operation);
        Assert.AreEqual(DeadLetters.QueueOf(workflow), settlement.Parameters.Value<string>("queueName"));
    }

    [TestMethod]
    public async Task The_redelivered_dead_letter_posts_the_card_and_keeps_the_one_archive_copy()
    {
        using var scenario = new WorkflowScenario();
        scenario.AnswerTeamsWith(new ConnectorResponse(503), times: 4);
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));
        await scenario.DeliverAsync(DeadLetters.Sap, deadLetter);
        var redelivery = scenario.Bus.Redeliver(deadLetter);

        var run = await scenario.DeliverAsync(DeadLetters.Sap, redelivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(5, scenario.Teams.Count);
        Assert.IsFalse(run.Action("Archive_dead_letter").Body()!.Value<bool>("created"), "the archive write is create-if-absent");
        Assert.AreEqual("completeQueueMessageV2", scenario.Bus.SettlementsOf(redelivery).Single().Operation);
    }
}
