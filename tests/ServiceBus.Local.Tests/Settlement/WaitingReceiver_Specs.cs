using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Settlement;

/// <summary>A receiver (or session acceptor) with nothing to take waits until something arrives in its own entity or
/// until its wait ends; what falls due meanwhile (a lock that expires, a session lock that expires) is applied by the
/// broker's due-time pump, which wakes that entity's waiters. Receivers of other entities sleep on.</summary>
public abstract class WaitingReceiver_Specs : BrokerSpec
{
    private static readonly TimeSpan Lock = TimeSpan.FromMinutes(1);

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.LockDuration = Lock);
        topology.AddQueue("other", q =>
        {
            q.RequiresDuplicateDetection = true;
            q.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(1);
        });
        topology.AddQueue("sessions", q => { q.RequiresSession = true; q.LockDuration = Lock; });
        return topology;
    }

    [TestMethod]
    public async Task A_receiver_waiting_when_a_lock_expires_gets_the_message_without_another_operation()
    {
        await Bus.SendAsync("work", Message(messageId: "m-1"));
        var first = await ReceiveOne("work");
        var waiting = Bus.CreateReceiver("work").ReceiveMessageAsync(TimeSpan.FromMinutes(10));
        Assert.IsFalse(waiting.IsCompleted);

        Clock.Advance(Lock + LocalServiceBus.DuePumpSpacing);

        var again = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.AreEqual("m-1", again!.MessageId);
        Assert.AreEqual(2, again.DeliveryCount);
        Assert.AreNotEqual(first.LockToken, again.LockToken);
    }

    [TestMethod]
    public async Task An_acceptor_waiting_when_a_session_lock_expires_gets_that_session()
    {
        await Bus.SendAsync("sessions", Message(messageId: "m-1", sessionId: "order-1"));
        var holder = await Bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.Zero);
        Assert.AreEqual(1, (await holder.ReceiveAsync(1, TimeSpan.Zero)).Count);
        var waiting = Bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.FromMinutes(10));
        Assert.IsFalse(waiting.IsCompleted);

        Clock.Advance(Lock + LocalServiceBus.DuePumpSpacing);

        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.AreEqual("order-1", taken.SessionId);
        var again = (await taken.ReceiveAsync(1, TimeSpan.Zero)).Single();
        Assert.AreEqual(2, again.DeliveryCount);
    }

    [TestMethod]
    public async Task Sends_to_another_entity_and_its_history_falling_due_do_not_wake_a_waiting_receiver()
    {
        var waiting = Bus.CreateReceiver("work").ReceiveMessageAsync(TimeSpan.FromMinutes(10));
        var before = Bus.WakeUps;

        for (var i = 0; i < 10; i++) await Bus.SendAsync("other", Message(messageId: $"o-{i}"));
        Clock.Advance(TimeSpan.FromMinutes(2)); // the duplicate-detection history of "other" falls due
        Bus.ProcessDueWork();

        Assert.AreEqual(before, Bus.WakeUps);
        Assert.IsFalse(waiting.IsCompleted);

        await Bus.SendAsync("work", Message(messageId: "w-1"));
        Assert.AreEqual("w-1", (await waiting.WaitAsync(TimeSpan.FromSeconds(30)))!.MessageId);
        Assert.AreEqual(before + 1, Bus.WakeUps);
    }

    [TestClass] public sealed class InMemory : WaitingReceiver_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : WaitingReceiver_Specs { protected override bool Durable => true; }
}
