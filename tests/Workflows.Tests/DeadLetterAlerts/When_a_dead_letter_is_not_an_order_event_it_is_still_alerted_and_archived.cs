using Newtonsoft.Json.Linq;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_a_dead_letter_is_not_an_order_event_it_is_still_alerted_and_archived
{
    [TestMethod]
    [DataRow(DeadLetters.Sms)]
    [DataRow(DeadLetters.Warehouse)]
    public async Task Garbage_the_broker_dead_lettered_gets_a_card_with_unknown_order_and_is_completed(string workflow)
    {
        using var scenario = new WorkflowScenario();
        // The broker's own dead letter (MaxDeliveryCountExceeded) of a message no one could read: no session, no correlation.
        var garbage = ServiceBusFake.DeadLettered(ServiceBusFake.RawMessage("garbage-1", "\u0001\u0002 not json", contentType: null, sessionId: null),
            "MaxDeliveryCountExceeded", "Message could not be consumed after 10 delivery attempts.");
        var deadLetter = scenario.Bus.Deliver(garbage, deliveryCount: 1);

        var run = await scenario.DeliverAsync(workflow, deadLetter);

        run.ShouldHaveSucceeded();
        var card = JObject.Parse(scenario.Teams.Single().Body!.Value<string>("messageBody")!);
        var facts = card.SelectTokens("$.body[*].facts[*]").ToDictionary(f => f.Value<string>("title")!, f => f.Value<string>("value"));
        Assert.AreEqual("(unknown)", facts["Order"]);
        Assert.AreEqual("MaxDeliveryCountExceeded", facts["Reason"]);
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "deadletters/")).Count);
        Assert.AreEqual("completeQueueMessageV2", scenario.Bus.SettlementsOf(deadLetter).Single().Operation);
    }
}
