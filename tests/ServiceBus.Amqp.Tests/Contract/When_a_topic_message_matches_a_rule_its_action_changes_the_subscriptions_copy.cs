using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_topic_message_matches_a_rule_its_action_changes_the_subscriptions_copy : ContractSpec
{
    [TestMethod]
    public async Task Only_matching_messages_reach_the_filtered_subscription_stamped_by_the_action()
    {
        await using var sender = Client.CreateSender(Topic);
        var red = Message("red");
        red.ApplicationProperties["color"] = "red";
        red.Subject = "original";
        var green = Message("green");
        green.ApplicationProperties["color"] = "green";
        await sender.SendMessagesAsync([red, green]);

        await using var redOnly = Client.CreateReceiver(Topic, RedOnly);
        var stamped = await ReceiveOneAsync(redOnly);
        Assert.AreEqual("red", stamped.Body.ToString());
        Assert.AreEqual("stamped", stamped.Subject, "the rule's action set sys.Label");
        await AssertEmptyAsync(redOnly);

        await using var everything = Client.CreateReceiver(Topic, Everything);
        var all = new[] { await ReceiveOneAsync(everything), await ReceiveOneAsync(everything) };
        CollectionAssert.AreEquivalent(new[] { "red", "green" }, all.Select(m => m.Body.ToString()).ToArray());
        Assert.AreEqual("original", all.Single(m => m.Body.ToString() == "red").Subject, "the action changes only its own subscription's copy");
    }

    [TestClass] public sealed class Local : When_a_topic_message_matches_a_rule_its_action_changes_the_subscriptions_copy { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_topic_message_matches_a_rule_its_action_changes_the_subscriptions_copy { protected override bool AgainstAzure => true; }
}
