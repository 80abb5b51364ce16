using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_a_dead_letter_arrives_one_Teams_card_is_posted_it_is_archived_and_completed
{
    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Sms)]
    [DataRow(DeadLetters.Warehouse)]
    [DataRow(DeadLetters.Lake)]
    public async Task The_card_names_the_subscriber_order_and_reason_and_goes_to_the_configured_channel(string workflow)
    {
        using var scenario = new WorkflowScenario();
        var message = ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "DownstreamRejected", "SAP did not accept the BAPI call");
        var deadLetter = scenario.Bus.Deliver(message, deliveryCount: 1);

        var run = await scenario.DeliverAsync(workflow, deadLetter);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", run.ClientTrackingId);
        var post = scenario.Teams.Single();
        Assert.AreEqual("00000000-0000-0000-0000-000000000001", post.Body?["recipient"]?.Value<string>("groupId"));
        Assert.AreEqual("19:local-alerts@thread.tacv2", post.Body?["recipient"]?.Value<string>("channelId"));
        var card = JObject.Parse(post.Body!.Value<string>("messageBody")!);
        Assert.AreEqual("AdaptiveCard", card.Value<string>("type"));
        var facts = card.SelectTokens("$.body[*].facts[*]").ToDictionary(f => f.Value<string>("title")!, f => f.Value<string>("value"));
        Assert.AreEqual(DeadLetters.SubscriberOf(workflow), facts["Subscriber"]);
        Assert.AreEqual("100482", facts["Order"]);
        Assert.AreEqual("DownstreamRejected", facts["Reason"]);
        Assert.AreEqual("DownstreamRejected", run.Action("Build_alert_card").TrackedProperties!.Value<string>("deadLetterReason"));
    }

    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Sms)]
    [DataRow(DeadLetters.Warehouse)]
    [DataRow(DeadLetters.Lake)]
    public async Task The_dead_letter_is_archived_under_its_subscriber_and_completed_on_its_queue(string workflow)
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));

        var run = await scenario.DeliverAsync(workflow, deadLetter);

        var archived = run.Succeeded("Archive_dead_letter").Body()!;
        Assert.IsTrue(archived.Value<bool>("created"));
        CollectionAssert.Contains((await scenario.Objects("orders-lake")).ToList(), archived.Value<string>("path"));
        StringAssert.Contains(archived.Value<string>("path"), DeadLetters.SubscriberOf(workflow));
        var settlement = scenario.Bus.SettlementsOf(deadLetter).Single();
        Assert.AreEqual("completeQueueMessageV2", settlement.Operation);
        Assert.AreEqual(DeadLetters.QueueOf(workflow), settlement.Parameters.Value<string>("queueName"));
        Assert.IsTrue(settlement.Accepted);
    }
}
