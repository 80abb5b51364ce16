using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_a_message_is_scheduled_it_stays_invisible_until_its_time_and_cancelling_removes_it : ContractSpec
{
    [TestMethod]
    public async Task A_scheduled_message_is_peekable_as_scheduled_and_received_only_from_its_time()
    {
        await using var sender = Client.CreateSender(Queue);
        var at = DateTimeOffset.UtcNow.AddSeconds(3);
        var sequence = await sender.ScheduleMessageAsync(Message("later"), at);

        await using var receiver = Client.CreateReceiver(Queue);
        var peeked = await receiver.PeekMessageAsync();
        Assert.IsNotNull(peeked);
        Assert.AreEqual(sequence, peeked.SequenceNumber);
        Assert.AreEqual(ServiceBusMessageState.Scheduled, peeked.State);
        Assert.AreEqual(at.ToUnixTimeSeconds(), peeked.ScheduledEnqueueTime.ToUnixTimeSeconds());
        Assert.IsNull(await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(1)), "not before its time");

        var received = await ReceiveOneAsync(receiver);
        Assert.AreEqual("later", received.Body.ToString());
        Assert.IsTrue(DateTimeOffset.UtcNow >= at.AddMilliseconds(-200), "received at or after its scheduled time");
        await receiver.CompleteMessageAsync(received);
    }

    [TestMethod]
    public async Task Cancelling_a_scheduled_message_removes_it()
    {
        await using var sender = Client.CreateSender(Queue);
        var sequence = await sender.ScheduleMessageAsync(Message("never"), DateTimeOffset.UtcNow.AddMinutes(5));

        await sender.CancelScheduledMessageAsync(sequence);

        await using var receiver = Client.CreateReceiver(Queue);
        Assert.IsNull(await receiver.PeekMessageAsync(), "nothing is left to peek");
    }

    [TestMethod]
    public async Task Cancelling_an_unknown_sequence_number_fails_with_MessageNotFound()
    {
        await using var sender = Client.CreateSender(Queue);

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => sender.CancelScheduledMessageAsync(987654321));

        Assert.AreEqual(ServiceBusFailureReason.MessageNotFound, error.Reason);
    }

    [TestClass] public sealed class Local : When_a_message_is_scheduled_it_stays_invisible_until_its_time_and_cancelling_removes_it { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_a_message_is_scheduled_it_stays_invisible_until_its_time_and_cancelling_removes_it { protected override bool AgainstAzure => true; }
}
