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
}
