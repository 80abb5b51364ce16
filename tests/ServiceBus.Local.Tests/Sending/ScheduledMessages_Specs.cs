using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Sending;

public abstract class ScheduledMessages_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        topology.AddTopic("orders").AddSubscription("all");
        return topology;
    }

    [TestMethod]
    public async Task A_scheduled_message_is_invisible_until_its_time_then_enqueued_with_a_new_sequence_number()
    {
        var sequence = await Bus.ScheduleAsync("work", Message(messageId: "s"), Start + TimeSpan.FromMinutes(5));

        Assert.AreEqual(0, (await ReceiveAll("work")).Count);
        var peeked = (await Bus.PeekAsync("work")).Single();
        Assert.AreEqual(ServiceBusMessageState.Scheduled, peeked.State);
        Assert.AreEqual(sequence, peeked.SequenceNumber);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var received = await ReceiveOne("work");
        Assert.AreEqual("s", received.MessageId);
        Assert.IsTrue(received.SequenceNumber > sequence);
        Assert.AreEqual(Start + TimeSpan.FromMinutes(5), received.EnqueuedTime);
    }

    [TestMethod]
    public async Task A_cancelled_scheduled_message_never_arrives()
    {
        var sequence = await Bus.ScheduleAsync("work", Message(), Start + TimeSpan.FromMinutes(5));

        await Bus.CancelScheduledAsync("work", sequence);
        Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.AreEqual(0, (await ReceiveAll("work")).Count);
        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.CancelScheduledAsync("work", sequence));
        Assert.AreEqual(ServiceBusFailureReason.MessageNotFound, ex.Reason);
    }

    [TestMethod]
    public async Task ScheduledEnqueueTime_on_a_sent_message_schedules_it_too()
    {
        await Bus.SendAsync("orders", Message(configure: m => m.ScheduledEnqueueTime = Start + TimeSpan.FromSeconds(30)));

        Assert.AreEqual(0, (await ReceiveAll("orders/Subscriptions/all")).Count);
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.AreEqual(1, (await ReceiveAll("orders/Subscriptions/all")).Count);
    }

    [TestMethod]
    public async Task A_schedule_time_in_the_past_enqueues_at_once()
    {
        await Bus.ScheduleAsync("work", Message(), Start - TimeSpan.FromMinutes(1));

        Assert.AreEqual(1, (await ReceiveAll("work")).Count);
    }

    [TestMethod]
    public async Task Sequence_numbers_increase_without_gaps_per_entity()
    {
        await Bus.SendAsync("work", [Message(), Message(), Message()]);

        CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, (await Bus.PeekAsync("work", 10)).Select(m => m.SequenceNumber).ToArray());
    }

    [TestClass] public sealed class InMemory : ScheduledMessages_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : ScheduledMessages_Specs { protected override bool Durable => true; }
}
