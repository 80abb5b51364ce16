using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_lock_is_renewed_the_message_stays_locked_past_its_first_expiry : ContractSpec
{
    [TestMethod]
    public async Task Renewing_extends_LockedUntil_and_the_message_can_still_be_completed()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("long work"));
        await using var receiver = Client.CreateReceiver(Queue);
        var received = await ReceiveOneAsync(receiver);
        var firstExpiry = received.LockedUntil;

        await Task.Delay(TimeSpan.FromSeconds(2));
        await receiver.RenewMessageLockAsync(received);

        Assert.IsTrue(received.LockedUntil > firstExpiry, $"renewed to {received.LockedUntil:O}, first {firstExpiry:O}");
        await receiver.CompleteMessageAsync(received);
        await AssertEmptyAsync(receiver);
    }

    [TestClass] public sealed class Local : When_a_lock_is_renewed_the_message_stays_locked_past_its_first_expiry { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_lock_is_renewed_the_message_stays_locked_past_its_first_expiry { protected override bool AgainstAzure => true; }
}
