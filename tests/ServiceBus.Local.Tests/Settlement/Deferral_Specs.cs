using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Settlement;

public abstract class Deferral_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => { q.DefaultMessageTimeToLive = TimeSpan.FromMinutes(5); q.DeadLetteringOnMessageExpiration = true; });
        return topology;
    }

    [TestMethod]
    public async Task A_deferred_message_is_skipped_by_receive_but_returned_by_sequence_number_and_shown_by_peek()
    {
        await Bus.SendAsync("work", Message(messageId: "later"));
        var receiver = Bus.CreateReceiver("work");
        var received = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        await receiver.DeferAsync(received!.LockToken);

        Assert.IsNull(await receiver.ReceiveMessageAsync(TimeSpan.Zero));
        var peeked = await Bus.PeekAsync("work");
        Assert.AreEqual(ServiceBusMessageState.Deferred, peeked.Single().State);

        var deferred = (await receiver.ReceiveDeferredAsync([received.SequenceNumber])).Single();
        Assert.AreEqual("later", deferred.MessageId);
        Assert.AreEqual(ServiceBusMessageState.Deferred, deferred.State);
        await receiver.CompleteAsync(deferred.LockToken);
        Assert.AreEqual(0L, Bus.GetMessageCounts("work").Deferred);
    }

    [TestMethod]
    public async Task Receiving_a_sequence_number_that_is_not_deferred_fails_with_message_not_found()
    {
        await Bus.SendAsync("work", Message());
        var active = (await Bus.PeekAsync("work")).Single();

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.CreateReceiver("work").ReceiveDeferredAsync([active.SequenceNumber, 999]));

        Assert.AreEqual(ServiceBusFailureReason.MessageNotFound, ex.Reason);
    }

    [TestMethod]
    public async Task An_abandoned_deferred_message_stays_deferred()
    {
        await Bus.SendAsync("work", Message());
        var receiver = Bus.CreateReceiver("work");
        var received = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        await receiver.DeferAsync(received!.LockToken);
        var deferred = (await receiver.ReceiveDeferredAsync([received.SequenceNumber])).Single();

        await receiver.AbandonAsync(deferred.LockToken);

        var again = (await receiver.ReceiveDeferredAsync([received.SequenceNumber])).Single();
        Assert.AreEqual(2, again.DeliveryCount);
        Assert.AreEqual(ServiceBusMessageState.Deferred, again.State);
    }

    [TestMethod]
    public async Task Deferred_messages_do_not_expire()
    {
        await Bus.SendAsync("work", Message());
        var receiver = Bus.CreateReceiver("work");
        var received = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        await receiver.DeferAsync(received!.LockToken);

        Clock.Advance(TimeSpan.FromHours(1));

        Assert.AreEqual(1, (await receiver.ReceiveDeferredAsync([received.SequenceNumber])).Count);
        Assert.AreEqual(0L, Bus.GetMessageCounts("work").DeadLetter);
    }

    [TestClass] public sealed class InMemory : Deferral_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : Deferral_Specs { protected override bool Durable => true; }
}
