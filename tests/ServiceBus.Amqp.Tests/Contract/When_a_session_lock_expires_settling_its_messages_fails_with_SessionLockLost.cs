using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_session_lock_expires_settling_its_messages_fails_with_SessionLockLost : ContractSpec
{
    [TestMethod]
    public async Task Completing_after_the_session_lock_expired_fails_and_the_message_goes_to_the_next_holder()
    {
        var session = "expiring-" + Guid.NewGuid().ToString("N")[..8];
        await using var sender = Client.CreateSender(SessionQueue);
        var message = Message("in a session");
        message.SessionId = session;
        await sender.SendMessageAsync(message);
        await using var holder = await Client.AcceptSessionAsync(SessionQueue, session);
        var received = await ReceiveOneAsync(holder);

        // The session lock is the queue's LockDuration (5 s): wait until it has passed, not for luck.
        await Task.Delay(holder.SessionLockedUntil - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => holder.CompleteMessageAsync(received));

        Assert.AreEqual(ServiceBusFailureReason.SessionLockLost, error.Reason);
        await using var next = await Client.AcceptSessionAsync(SessionQueue, session);
        var again = await ReceiveOneAsync(next);
        Assert.AreEqual(received.MessageId, again.MessageId);
        Assert.AreEqual(2, again.DeliveryCount, "a session lock that timed out counts a delivery");
        await next.CompleteMessageAsync(again);
    }

    [TestClass] public sealed class Local : When_a_session_lock_expires_settling_its_messages_fails_with_SessionLockLost { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_session_lock_expires_settling_its_messages_fails_with_SessionLockLost { protected override bool AgainstAzure => true; }
}
