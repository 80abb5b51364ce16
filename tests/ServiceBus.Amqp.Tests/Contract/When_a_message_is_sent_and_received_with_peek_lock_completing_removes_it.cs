using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_sent_and_received_with_peek_lock_completing_removes_it : ContractSpec
{
    [TestMethod]
    public async Task The_receiver_gets_body_and_properties_under_a_lock_and_complete_removes_it()
    {
        await using var sender = Client.CreateSender(Queue);
        var sent = Message("hello");
        sent.ContentType = "application/json";
        sent.CorrelationId = "corr-1";
        sent.Subject = "greeting";
        sent.ApplicationProperties["eventType"] = "OrderCreated";
        sent.ApplicationProperties["amount"] = 12.5m;
        sent.ApplicationProperties["at"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await sender.SendMessageAsync(sent);

        await using var receiver = Client.CreateReceiver(Queue);
        var received = await ReceiveOneAsync(receiver);

        Assert.AreEqual("hello", received.Body.ToString());
        Assert.AreEqual(sent.MessageId, received.MessageId);
        Assert.AreEqual("application/json", received.ContentType);
        Assert.AreEqual("corr-1", received.CorrelationId);
        Assert.AreEqual("greeting", received.Subject);
        Assert.AreEqual("OrderCreated", received.ApplicationProperties["eventType"]);
        Assert.AreEqual(12.5m, received.ApplicationProperties["amount"]);
        Assert.AreEqual(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), received.ApplicationProperties["at"]);
        Assert.AreEqual(1, received.DeliveryCount);
        Assert.IsTrue(received.SequenceNumber > 0);
        Assert.IsTrue(received.LockedUntil > DateTimeOffset.UtcNow, "the message is locked");
        Assert.AreNotEqual(default, received.LockToken);

        await receiver.CompleteMessageAsync(received);

        await AssertEmptyAsync(receiver);
    }

    [TestClass] public sealed class Local : When_a_message_is_sent_and_received_with_peek_lock_completing_removes_it { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_sent_and_received_with_peek_lock_completing_removes_it { protected override bool AgainstAzure => true; }
}
