using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_session_is_held_a_second_receiver_cannot_lock_it : ContractSpec
{
    [TestMethod]
    public async Task Accepting_the_held_session_fails_with_SessionCannotBeLocked_until_it_is_released()
    {
        var session = "held-" + Guid.NewGuid().ToString("N")[..8];
        await using var sender = Client.CreateSender(SessionQueue);
        var message = Message("mine");
        message.SessionId = session;
        await sender.SendMessageAsync(message);
        var holder = await Client.AcceptSessionAsync(SessionQueue, session);

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Client.AcceptSessionAsync(SessionQueue, session));
        Assert.AreEqual(ServiceBusFailureReason.SessionCannotBeLocked, error.Reason);

        await holder.DisposeAsync();
        await using var next = await Client.AcceptSessionAsync(SessionQueue, session);
        var received = await ReceiveOneAsync(next);
        Assert.AreEqual("mine", received.Body.ToString());
        Assert.AreEqual(1, received.DeliveryCount, "closing a session receiver does not count a delivery");
    }

    [TestClass] public sealed class Local : When_a_session_is_held_a_second_receiver_cannot_lock_it { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_session_is_held_a_second_receiver_cannot_lock_it { protected override bool AgainstAzure => true; }
}
