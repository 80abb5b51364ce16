using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_an_entity_does_not_exist_the_client_gets_MessagingEntityNotFound : ContractSpec
{
    [TestMethod]
    public async Task Sending_to_an_unknown_queue_fails_with_MessagingEntityNotFound()
    {
        await using var sender = Client.CreateSender("no-such-queue");

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => sender.SendMessageAsync(Message()));

        Assert.AreEqual(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    [TestMethod]
    public async Task Receiving_from_an_unknown_subscription_fails_with_MessagingEntityNotFound()
    {
        await using var receiver = Client.CreateReceiver(Topic, "no-such-subscription");

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => receiver.ReceiveMessageAsync(Absent));

        Assert.AreEqual(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    [TestClass] public sealed class Local : When_an_entity_does_not_exist_the_client_gets_MessagingEntityNotFound { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_an_entity_does_not_exist_the_client_gets_MessagingEntityNotFound { protected override bool AgainstAzure => true; }
}
