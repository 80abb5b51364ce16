using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_messages_are_sent_as_a_batch_each_arrives_as_its_own_message : ContractSpec
{
    [TestMethod]
    public async Task Every_message_of_the_batch_is_received_separately_in_order()
    {
        await using var sender = Client.CreateSender(Queue);
        using var batch = await sender.CreateMessageBatchAsync();
        var ids = Enumerable.Range(1, 5).Select(i => $"batch-{i}-{Guid.NewGuid():N}").ToList();
        foreach (var id in ids) Assert.IsTrue(batch.TryAddMessage(Message($"body of {id}", id)));
        await sender.SendMessagesAsync(batch);

        await using var receiver = Client.CreateReceiver(Queue);
        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < ids.Count)
        {
            var some = await receiver.ReceiveMessagesAsync(ids.Count - received.Count, Expected);
            Assert.AreNotEqual(0, some.Count, $"only {received.Count} of {ids.Count} messages arrived");
            received.AddRange(some);
        }

        CollectionAssert.AreEqual(ids, received.Select(m => m.MessageId).ToList(),
            $"order received: {string.Join(", ", received.Select(m => $"{m.MessageId![..7]} seq {m.SequenceNumber} delivery {m.DeliveryCount}"))}");
        CollectionAssert.AreEqual(ids.Select(id => $"body of {id}").ToList(), received.Select(m => m.Body.ToString()).ToList());
        Assert.AreEqual(ids.Count, received.Select(m => m.SequenceNumber).Distinct().Count(), "each has its own sequence number");
    }

    [TestMethod]
    public async Task A_list_of_messages_sent_at_once_arrives_as_separate_messages()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync([Message("one"), Message("two")]);

        await using var receiver = Client.CreateReceiver(Queue);
        var first = await ReceiveOneAsync(receiver);
        var second = await ReceiveOneAsync(receiver);

        Assert.AreEqual("one", first.Body.ToString());
        Assert.AreEqual("two", second.Body.ToString());
    }

    [TestClass] public sealed class Local : When_messages_are_sent_as_a_batch_each_arrives_as_its_own_message { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_messages_are_sent_as_a_batch_each_arrives_as_its_own_message { protected override bool AgainstAzure => true; }
}
