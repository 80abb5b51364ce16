using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_messages_are_peeked_nothing_is_locked_or_counted : ContractSpec
{
    [TestMethod]
    public async Task Peek_browses_in_sequence_order_without_taking_or_counting()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessagesAsync([Message("a"), Message("b"), Message("c")]);
        await using var receiver = Client.CreateReceiver(Queue);

        var peeked = await receiver.PeekMessagesAsync(10);
        var again = await receiver.PeekMessagesAsync(10, peeked[0].SequenceNumber);

        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, peeked.Select(m => m.Body.ToString()).ToArray());
        Assert.IsTrue(peeked.All(m => m.DeliveryCount == 0), "a peek is not a delivery");
        Assert.AreEqual(3, again.Count);
        var received = await ReceiveOneAsync(receiver);
        Assert.AreEqual("a", received.Body.ToString());
        Assert.AreEqual(1, received.DeliveryCount);
    }

    [TestClass] public sealed class Local : When_messages_are_peeked_nothing_is_locked_or_counted { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_messages_are_peeked_nothing_is_locked_or_counted { protected override bool AgainstAzure => true; }
}
