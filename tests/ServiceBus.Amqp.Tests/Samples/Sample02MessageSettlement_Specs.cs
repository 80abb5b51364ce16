using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Samples;

/// <summary>The Azure SDK's Sample02 "Message settlement" scenarios (complete, abandon, defer, dead-letter), written
/// afresh and run against the local broker.</summary>
[TestClass]
public sealed class Sample02MessageSettlement_Specs : ContractSpec
{
    protected override bool AgainstAzure => false;

    [TestMethod]
    public async Task Complete_a_message()
    {
        var receiver = await SendAndReceiverAsync();
        var received = await ReceiveOneAsync(receiver);

        await receiver.CompleteMessageAsync(received);

        Assert.IsNull(await receiver.PeekMessageAsync());
    }

    [TestMethod]
    public async Task Abandon_a_message()
    {
        var receiver = await SendAndReceiverAsync();
        var received = await ReceiveOneAsync(receiver);

        await receiver.AbandonMessageAsync(received);

        var again = await ReceiveOneAsync(receiver);
        Assert.AreEqual(received.MessageId, again.MessageId);
        Assert.AreEqual(2, again.DeliveryCount);
    }

    [TestMethod]
    public async Task Defer_a_message_and_receive_it_by_sequence_number()
    {
        var receiver = await SendAndReceiverAsync();
        var received = await ReceiveOneAsync(receiver);

        await receiver.DeferMessageAsync(received);
        var deferred = await receiver.ReceiveDeferredMessageAsync(received.SequenceNumber);

        Assert.AreEqual("Hello world!", deferred.Body.ToString());
        await receiver.CompleteMessageAsync(deferred);
    }

    [TestMethod]
    public async Task Dead_letter_a_message_and_receive_it_from_the_dead_letter_queue()
    {
        var receiver = await SendAndReceiverAsync();
        var received = await ReceiveOneAsync(receiver);

        await receiver.DeadLetterMessageAsync(received, "sample reason", "sample description");

        await using var deadLetters = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await ReceiveOneAsync(deadLetters);
        Assert.AreEqual("sample reason", dead.DeadLetterReason);
        Assert.AreEqual("sample description", dead.DeadLetterErrorDescription);
    }

    private async Task<ServiceBusReceiver> SendAndReceiverAsync()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(new ServiceBusMessage("Hello world!"));
        return Client.CreateReceiver(Queue);
    }
}
