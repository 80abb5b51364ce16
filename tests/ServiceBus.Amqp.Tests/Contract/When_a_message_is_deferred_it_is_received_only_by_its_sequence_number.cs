using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_deferred_it_is_received_only_by_its_sequence_number : ContractSpec
{
    [TestMethod]
    public async Task A_deferred_message_is_skipped_by_receive_and_fetched_by_sequence_number()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("later, please"));
        await using var receiver = Client.CreateReceiver(Queue);
        var received = await ReceiveOneAsync(receiver);

        await receiver.DeferMessageAsync(received);

        await AssertEmptyAsync(receiver);
        var peeked = await receiver.PeekMessageAsync(received.SequenceNumber);
        Assert.AreEqual(ServiceBusMessageState.Deferred, peeked!.State);
        var deferred = await receiver.ReceiveDeferredMessageAsync(received.SequenceNumber);
        Assert.AreEqual(received.MessageId, deferred.MessageId);
        Assert.AreEqual("later, please", deferred.Body.ToString());
        await receiver.CompleteMessageAsync(deferred);
        Assert.IsNull(await receiver.PeekMessageAsync(), "completed: nothing is left");
    }

    [TestMethod]
    public async Task Receiving_a_sequence_number_that_is_not_deferred_fails_with_MessageNotFound()
    {
        await using var receiver = Client.CreateReceiver(Queue);

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => receiver.ReceiveDeferredMessageAsync(424242));

        Assert.AreEqual(ServiceBusFailureReason.MessageNotFound, error.Reason);
    }

    [TestClass] public sealed class Local : When_a_message_is_deferred_it_is_received_only_by_its_sequence_number { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_deferred_it_is_received_only_by_its_sequence_number { protected override bool AgainstAzure => true; }
}
