using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_lock_expires_the_message_is_redelivered_and_the_old_lock_is_lost : ContractSpec
{
    [TestMethod]
    public async Task Settling_with_the_expired_lock_fails_with_MessageLockLost_and_the_redelivery_counts_two()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("slow consumer"));
        await using var receiver = Client.CreateReceiver(Queue);
        var first = await ReceiveOneAsync(receiver);

        // The queue's lock is 5 s: the redelivery arrives once it expired, and not before.
        var second = await ReceiveOneAsync(receiver);

        Assert.AreEqual(first.MessageId, second.MessageId);
        Assert.AreEqual(2, second.DeliveryCount);
        Assert.IsTrue(DateTimeOffset.UtcNow >= first.LockedUntil.AddMilliseconds(-500), "redelivered only after the first lock expired");
        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(first));
        Assert.AreEqual(ServiceBusFailureReason.MessageLockLost, error.Reason);
        await receiver.CompleteMessageAsync(second);
    }

    [TestClass] public sealed class Local : When_a_lock_expires_the_message_is_redelivered_and_the_old_lock_is_lost { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_lock_expires_the_message_is_redelivered_and_the_old_lock_is_lost { protected override bool AgainstAzure => true; }
}
