using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Samples;

/// <summary>The Azure SDK's Sample01 "Hello world" scenarios (send and receive one message, a batch, peek,
/// schedule and cancel), written afresh and run against the local broker with the emulator connection string.</summary>
[TestClass]
public sealed class Sample01HelloWorld_Specs : ContractSpec
{
    protected override bool AgainstAzure => false;

    [TestMethod]
    public async Task Send_and_receive_a_message()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(new ServiceBusMessage("Hello world!"));

        await using var receiver = Client.CreateReceiver(Queue);
        var received = await receiver.ReceiveMessageAsync(Expected);

        Assert.AreEqual("Hello world!", received.Body.ToString());
    }

    [TestMethod]
    public async Task Send_a_batch_and_receive_it()
    {
        await using var sender = Client.CreateSender(Queue);
        using var batch = await sender.CreateMessageBatchAsync();
        Assert.IsTrue(batch.TryAddMessage(new ServiceBusMessage("First")));
        Assert.IsTrue(batch.TryAddMessage(new ServiceBusMessage("Second")));
        await sender.SendMessagesAsync(batch);

        await using var receiver = Client.CreateReceiver(Queue);
        var bodies = new List<string>();
        while (bodies.Count < 2)
        {
            foreach (var message in await receiver.ReceiveMessagesAsync(2, Expected)) bodies.Add(message.Body.ToString());
        }

        CollectionAssert.AreEqual(new[] { "First", "Second" }, bodies);
    }

    [TestMethod]
    public async Task Peek_a_message()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(new ServiceBusMessage("Hello world!"));

        await using var receiver = Client.CreateReceiver(Queue);
        var peeked = await receiver.PeekMessageAsync();

        Assert.AreEqual("Hello world!", peeked!.Body.ToString());
        Assert.IsNotNull(await receiver.ReceiveMessageAsync(Expected), "peeking left the message in the queue");
    }

    [TestMethod]
    public async Task Schedule_a_message_and_cancel_it()
    {
        await using var sender = Client.CreateSender(Queue);
        var sequence = await sender.ScheduleMessageAsync(new ServiceBusMessage("Hello world!"), DateTimeOffset.Now.AddDays(1));
        await using var receiver = Client.CreateReceiver(Queue);
        Assert.AreEqual(sequence, (await receiver.PeekMessageAsync())!.SequenceNumber);

        await sender.CancelScheduledMessageAsync(sequence);

        Assert.IsNull(await receiver.PeekMessageAsync());
    }
}
