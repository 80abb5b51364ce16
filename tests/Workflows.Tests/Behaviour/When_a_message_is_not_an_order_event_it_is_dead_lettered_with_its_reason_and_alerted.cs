using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Behaviour;

[TestClass]
public sealed class When_a_message_is_not_an_order_event_it_is_dead_lettered_with_its_reason_and_alerted
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_subscriber_dead_letters_it_at_once_and_its_alert_workflow_posts_one_card(string workflow)
    {
        await using var app = await BehaviourApp.StartAsync();

        await app.SendPoisonAsync("B-POISON-1", "B-POISON-ORDER");
        await app.SettledAsync();

        var run = app.RunsOf(workflow, "B-POISON-1").Single();
        Assert.AreEqual("deadLetter", BehaviourApp.Settlement(run));
        var alert = app.RunsOf(workflow + "DeadLetters", "B-POISON-1").Single();
        var reason = ((JObject)alert.Trigger.Outputs)["body"]!["userProperties"]!.Value<string>("DeadLetterReason");
        Assert.IsFalse(string.IsNullOrEmpty(reason));
        Assert.AreEqual("Succeeded", BehaviourApp.ActionStatus(alert, "Post_alert_to_Teams"));
        Assert.AreEqual(1, app.Host.Teams.PostedCards.Count(c => c.Text.Contains(BehaviourApp.SubscriptionOf[workflow], StringComparison.Ordinal)));
        Assert.IsEmpty(app.Host.Sap.SalesOrders);
        Assert.IsEmpty(app.Host.Twilio.SentMessages);
    }

    [TestMethod]
    public async Task The_intake_refuses_a_body_that_breaks_the_contract_and_publishes_nothing()
    {
        await using var app = await BehaviourApp.StartAsync();

        var response = await app.Host.Engine.InvokeRequestTriggerAsync("OrderIntake", null, "POST", new JObject(), new JObject { ["eventType"] = "OrderCreated" }, null);
        await app.SettledAsync();

        Assert.AreEqual(400, response.StatusCode);
        Assert.AreEqual("InvalidOrderEvent", response.Body?.Value<string>("error"));
        Assert.IsEmpty(app.Host.History.Query(new Workflows.Runtime.History.RunQuery(WorkflowName: "LakeArchive")));
    }
}
