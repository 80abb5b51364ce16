using System.Text;
using EndToEnd.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Messages;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_a_poison_message_arrives_it_is_dead_lettered_with_its_reason_and_alerted_once
{
    [TestMethod]
    public async Task A_body_that_is_not_an_order_event_ends_in_the_lake_archives_dead_letters_with_one_Teams_card()
    {
        await using var app = await LocalApp.StartAsync();
        // Without an eventType property only the lake-archive subscription (1=1) takes it.
        var poison = new ServiceBusMessage(Encoding.UTF8.GetBytes("{\"hello\": \"not an order\"}"))
        {
            MessageId = "poison-0001",
            ContentType = "application/json",
        };

        await app.Host.Bus.SendAsync("orders", poison);
        await app.SettledAsync();

        var card = app.Host.Teams.PostedCards.Single();
        StringAssert.Contains(card.Text, "lake-archive");
        StringAssert.Contains(card.Text, "poison-0001");
        var alert = app.Host.History.Query(new Workflows.Runtime.History.RunQuery(WorkflowName: "LakeArchiveDeadLetters")).Single();
        var deadLetter = (JObject)((JObject)alert.Trigger.Outputs)["body"]!;
        Assert.AreEqual("poison-0001", deadLetter.Value<string>("messageId"));
        Assert.IsFalse(string.IsNullOrEmpty(deadLetter["userProperties"]?.Value<string>("DeadLetterReason")));
        var archived = await app.Host.Store.ListAsync(app.Host.CustomCode.Options.LakeContainer, "deadletters/lake-archive/").ToListAsync();
        Assert.HasCount(1, archived);
        StringAssert.Contains(archived[0], "poison-0001");
        Assert.AreEqual(0, app.Host.Bus.GetMessageCounts("deadletters-lake-archive").Active, "the alert workflow completes the dead letter once alerted and archived");
    }

    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task Routed_to_every_subscription_each_subscriber_dead_letters_it_at_once_and_its_alert_workflow_posts_one_card(string workflow)
    {
        await using var app = await LocalApp.StartOnManualClockAsync();

        await app.SendPoisonAsync("E2E-POISON-1", "E2E-POISON-ORDER");
        await app.SettledAsync();

        var run = app.RunsOf(workflow, "E2E-POISON-1").Single();
        Assert.AreEqual("deadLetter", LocalApp.Settlement(run));
        var alert = app.RunsOf(workflow + "DeadLetters", "E2E-POISON-1").Single();
        var reason = ((JObject)alert.Trigger.Outputs)["body"]!["userProperties"]!.Value<string>("DeadLetterReason");
        Assert.IsFalse(string.IsNullOrEmpty(reason));
        Assert.AreEqual("Succeeded", LocalApp.ActionStatus(alert, "Post_alert_to_Teams"));
        Assert.AreEqual(1, app.Host.Teams.PostedCards.Count(c => c.Text.Contains(LocalApp.SubscriptionOf[workflow], StringComparison.Ordinal)));
        Assert.IsEmpty(app.Host.Sap.SalesOrders);
        Assert.IsEmpty(app.Host.Twilio.SentMessages);
    }
}
