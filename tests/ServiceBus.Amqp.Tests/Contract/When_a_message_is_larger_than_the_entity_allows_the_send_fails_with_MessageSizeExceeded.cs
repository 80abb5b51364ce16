using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_larger_than_the_entity_allows_the_send_fails_with_MessageSizeExceeded : ContractSpec
{
    [TestMethod]
    public async Task A_message_over_256_KB_is_refused_and_nothing_is_enqueued()
    {
        await using var sender = Client.CreateSender(Queue);

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => sender.SendMessageAsync(Message(new string('x', 300 * 1024))));

        Assert.AreEqual(ServiceBusFailureReason.MessageSizeExceeded, error.Reason);
        await using var receiver = Client.CreateReceiver(Queue);
        Assert.IsNull(await receiver.PeekMessageAsync());
    }

    [TestClass] public sealed class Local : When_a_message_is_larger_than_the_entity_allows_the_send_fails_with_MessageSizeExceeded { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_larger_than_the_entity_allows_the_send_fails_with_MessageSizeExceeded { protected override bool AgainstAzure => true; }
}
