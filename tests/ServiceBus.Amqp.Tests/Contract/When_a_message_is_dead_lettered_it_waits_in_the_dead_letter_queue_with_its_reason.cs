using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_dead_lettered_it_waits_in_the_dead_letter_queue_with_its_reason : ContractSpec
{
    [TestMethod]
    public async Task The_dead_letter_carries_reason_description_and_modified_properties()
    {
        await using var sender = Client.CreateSender(Queue);
        await sender.SendMessageAsync(Message("poison"));
        await using var receiver = Client.CreateReceiver(Queue);
        var received = await ReceiveOneAsync(receiver);

        await receiver.DeadLetterMessageAsync(received, new Dictionary<string, object> { ["failedAt"] = "mapping" }, "InvalidMessage", "orderId is missing");

        await AssertEmptyAsync(receiver);
        await using var deadLetters = Client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await ReceiveOneAsync(deadLetters);
        Assert.AreEqual(received.MessageId, dead.MessageId);
        Assert.AreEqual("poison", dead.Body.ToString());
        Assert.AreEqual("InvalidMessage", dead.DeadLetterReason);
        Assert.AreEqual("orderId is missing", dead.DeadLetterErrorDescription);
        Assert.AreEqual("mapping", dead.ApplicationProperties["failedAt"]);
        await deadLetters.CompleteMessageAsync(dead);
        await AssertEmptyAsync(deadLetters);
    }

    [TestMethod]
    public async Task A_topic_subscription_has_its_own_dead_letter_queue()
    {
        await using var sender = Client.CreateSender(Topic);
        await sender.SendMessageAsync(Message("to everyone"));
        await using var receiver = Client.CreateReceiver(Topic, Everything);
        await receiver.DeadLetterMessageAsync(await ReceiveOneAsync(receiver), "DownstreamRejected", "the warehouse said no");

        await using var deadLetters = Client.CreateReceiver(Topic, Everything, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = await ReceiveOneAsync(deadLetters);

        Assert.AreEqual("DownstreamRejected", dead.DeadLetterReason);
        Assert.AreEqual($"{Subscription(Everything)}/$DeadLetterQueue", deadLetters.EntityPath);
    }

    [TestClass] public sealed class Local : When_a_message_is_dead_lettered_it_waits_in_the_dead_letter_queue_with_its_reason { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_dead_lettered_it_waits_in_the_dead_letter_queue_with_its_reason { protected override bool AgainstAzure => true; }
}
