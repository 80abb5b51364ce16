using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_abandoned_more_than_MaxDeliveryCount_times_the_broker_dead_letters_it : ContractSpec
{
    [TestMethod]
    public async Task The_dead_letter_reason_is_MaxDeliveryCountExceeded()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("always fails"));
        await using var receiver = Client.CreateReceiver(Queue);

        for (var attempt = 1; attempt <= MaxDeliveryCount; attempt++)
        {
            var received = await ReceiveOneAsync(receiver);
            Assert.AreEqual(attempt, received.DeliveryCount);
            await receiver.AbandonMessageAsync(received);
        }

        await AssertEmptyAsync(receiver);
        await using var deadLetters = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await ReceiveOneAsync(deadLetters);
        Assert.AreEqual("MaxDeliveryCountExceeded", dead.DeadLetterReason);
    }

    [TestClass] public sealed class Local : When_a_message_is_abandoned_more_than_MaxDeliveryCount_times_the_broker_dead_letters_it { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_abandoned_more_than_MaxDeliveryCount_times_the_broker_dead_letters_it { protected override bool AgainstAzure => true; }
}
