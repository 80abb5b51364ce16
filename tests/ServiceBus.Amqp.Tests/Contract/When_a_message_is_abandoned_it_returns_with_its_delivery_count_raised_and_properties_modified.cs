using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_abandoned_it_returns_with_its_delivery_count_raised_and_properties_modified : ContractSpec
{
    [TestMethod]
    public async Task The_next_delivery_counts_two_and_carries_the_modified_properties()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("retry me"));
        await using var receiver = Client.CreateReceiver(Queue);
        var first = await ReceiveOneAsync(receiver);

        await receiver.AbandonMessageAsync(first, new Dictionary<string, object> { ["attempt"] = 1, ["lastError"] = "timeout" });

        var second = await ReceiveOneAsync(receiver);
        Assert.AreEqual(first.MessageId, second.MessageId);
        Assert.AreEqual(2, second.DeliveryCount);
        Assert.AreEqual(1, second.ApplicationProperties["attempt"]);
        Assert.AreEqual("timeout", second.ApplicationProperties["lastError"]);
        await receiver.CompleteMessageAsync(second);
    }

    [TestClass] public sealed class Local : When_a_message_is_abandoned_it_returns_with_its_delivery_count_raised_and_properties_modified { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_abandoned_it_returns_with_its_delivery_count_raised_and_properties_modified { protected override bool AgainstAzure => true; }
}
