using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;
using ServiceBus.Local.Entities;

namespace ServiceBus.Amqp.Tests.Contract;

/// <summary>
/// A send to a queue that holds its size quota fails with <c>ServiceBusException</c>, <c>Reason</c> QuotaExceeded and
/// the service's text ("The maximum entity size has been reached or exceeded for Queue: …",
/// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-exceptions-latest, "Reason:
/// QuotaExceeded"), single messages and batches alike, and nothing is enqueued; once a message is settled the queue
/// takes sends again. The endpoint answers with the AMQP condition <c>amqp:resource-limit-exceeded</c>, which the client
/// maps to QuotaExceeded. Azure's smallest quota is 1 GB (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas),
/// too much to fill in a contract run, so this spec runs locally only, on a 2 KB quota.
/// </summary>
public abstract class When_a_queue_is_full_the_client_gets_QuotaExceeded_until_it_has_room : ContractSpec
{
    protected override void ShapeLocalTopology(Topology topology) =>
        topology.Queues.Single(q => q.Name == Queue).Properties.MaxSizeInBytes = 2_048;

    [TestMethod]
    public async Task Single_sends_and_batches_are_refused_and_a_settled_message_makes_room()
    {
        if (AgainstAzure) Assert.Inconclusive("Skipped against Azure: its smallest queue quota (1 GB) is too large to fill in a contract run.");
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message(new string('x', 3_000), id: "first"));

        var single = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => sender.SendMessageAsync(Message(id: "second")));
        using var batch = await sender.CreateMessageBatchAsync();
        Assert.IsTrue(batch.TryAddMessage(Message(id: "third")) && batch.TryAddMessage(Message(id: "fourth")));
        var batched = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => sender.SendMessagesAsync(batch));

        Assert.AreEqual(ServiceBusFailureReason.QuotaExceeded, single.Reason);
        Assert.IsFalse(single.IsTransient);
        StringAssert.Contains(single.Message, $"The maximum entity size has been reached or exceeded for Queue: '{Queue}'");
        Assert.AreEqual(ServiceBusFailureReason.QuotaExceeded, batched.Reason);
        await using var receiver = Client.CreateReceiver(Queue);
        var held = await receiver.PeekMessagesAsync(10);
        CollectionAssert.AreEqual(new[] { "first" }, held.Select(m => m.MessageId).ToArray());

        await receiver.CompleteMessageAsync(await ReceiveOneAsync(receiver));
        await sender.SendMessageAsync(Message(id: "second"));
        Assert.AreEqual("second", (await ReceiveOneAsync(receiver)).MessageId);
    }

    [TestClass] public sealed class Local : When_a_queue_is_full_the_client_gets_QuotaExceeded_until_it_has_room { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_queue_is_full_the_client_gets_QuotaExceeded_until_it_has_room { protected override bool AgainstAzure => true; }
}
