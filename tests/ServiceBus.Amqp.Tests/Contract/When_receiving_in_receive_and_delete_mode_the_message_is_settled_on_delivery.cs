using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_receiving_in_receive_and_delete_mode_the_message_is_settled_on_delivery : ContractSpec
{
    [TestMethod]
    public async Task The_message_is_gone_once_received_and_cannot_be_settled()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("once"));

        await using var receiver = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
        var received = await ReceiveOneAsync(receiver);

        Assert.AreEqual("once", received.Body.ToString());
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => receiver.CompleteMessageAsync(received));
        await using var other = Client.CreateReceiver(Queue);
        await AssertEmptyAsync(other);
    }

    [TestClass] public sealed class Local : When_receiving_in_receive_and_delete_mode_the_message_is_settled_on_delivery { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_receiving_in_receive_and_delete_mode_the_message_is_settled_on_delivery { protected override bool AgainstAzure => true; }
}
