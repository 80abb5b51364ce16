using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_outlives_its_time_to_live_it_is_dead_lettered_as_expired : ContractSpec
{
    [TestMethod]
    public async Task The_expired_message_is_in_the_dead_letter_queue_with_TTLExpiredException()
    {
        await using var sender = Client.CreateSender(ExpiringQueue);
        var message = Message("short-lived");
        message.TimeToLive = TimeSpan.FromSeconds(1);
        await sender.SendMessageAsync(message);

        await using var deadLetters = Client.CreateReceiver(ExpiringQueue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        await using var receiver = Client.CreateReceiver(ExpiringQueue);
        var dead = await deadLetters.ReceiveMessageAsync(Expected);
        if (dead is null)
        {
            // Azure moves expired messages while a receiver is active on the entity (Learn: "Message expiration").
            Assert.IsNull(await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(2)), "an expired message is never delivered");
            dead = await ReceiveOneAsync(deadLetters);
        }

        Assert.AreEqual(message.MessageId, dead.MessageId);
        Assert.AreEqual("TTLExpiredException", dead.DeadLetterReason);
        Assert.IsTrue(dead.ExpiresAt <= DateTimeOffset.UtcNow);
    }

    [TestClass] public sealed class Local : When_a_message_outlives_its_time_to_live_it_is_dead_lettered_as_expired { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_outlives_its_time_to_live_it_is_dead_lettered_as_expired { protected override bool AgainstAzure => true; }
}
