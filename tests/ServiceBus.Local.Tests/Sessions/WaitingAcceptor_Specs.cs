using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Sessions;

/// <summary>Session acceptors waiting on an entity are woken one at a time, longest waiting first: any of them can take
/// any available session, so an arrival wakes one, and an acceptor that takes a session wakes the next in case another
/// is available. (Waking them all on every arrival made each idle acceptor look and go back to sleep: with 64 acceptors
/// that was 3 % of a simulated day's CPU, docs/benchmarks-history.md.)</summary>
public abstract class WaitingAcceptor_Specs : BrokerSpec
{
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(10);

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("sessions", q => q.RequiresSession = true);
        return topology;
    }

    [TestMethod]
    public async Task An_arrival_wakes_one_waiting_acceptor_and_the_one_that_takes_it_wakes_one_more()
    {
        var waiting = Enumerable.Range(0, 8).Select(_ => Bus.AcceptNextSessionAsync("sessions", maxWaitTime: LongWait)).ToList();
        await UntilWaiting(8);
        var before = Bus.AcceptorWakeUps;

        await Bus.SendAsync("sessions", Message(messageId: "m-1", sessionId: "order-1"));

        var taken = await (await Task.WhenAny(waiting)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.AreEqual("order-1", taken.SessionId);
        await UntilWaiting(7);
        Assert.AreEqual(2, Bus.AcceptorWakeUps - before, "the arrival woke one acceptor, and its accept woke one more, which found nothing");
        Assert.AreEqual(7, waiting.Count(t => !t.IsCompleted));
    }

    [TestMethod]
    public async Task Sessions_arriving_together_are_each_taken_by_a_waiting_acceptor()
    {
        var waiting = Enumerable.Range(0, 3).Select(_ => Bus.AcceptNextSessionAsync("sessions", maxWaitTime: LongWait)).ToList();
        await UntilWaiting(3);

        await Bus.SendAsync("sessions", new[] { "order-1", "order-2", "order-3" }.Select(s => Message(messageId: $"m-{s}", sessionId: s)));

        var sessions = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30));
        CollectionAssert.AreEquivalent(new[] { "order-1", "order-2", "order-3" }, sessions.Select(s => s.SessionId).ToArray());
    }

    [TestMethod]
    public async Task An_acceptor_that_stops_waiting_leaves_the_line_and_the_next_arrival_goes_to_one_still_waiting()
    {
        using var leaving = new CancellationTokenSource();
        var first = Bus.AcceptNextSessionAsync("sessions", maxWaitTime: LongWait, cancellationToken: leaving.Token);
        await UntilWaiting(1);
        var second = Bus.AcceptNextSessionAsync("sessions", maxWaitTime: LongWait);
        await UntilWaiting(2);

        leaving.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        await UntilWaiting(1);
        await Bus.SendAsync("sessions", Message(messageId: "m-1", sessionId: "order-1"));

        Assert.AreEqual("order-1", (await second.WaitAsync(TimeSpan.FromSeconds(30))).SessionId);
    }

    [TestMethod]
    public async Task An_acceptor_whose_wait_ends_leaves_the_line_with_a_timeout()
    {
        var waiting = Bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.FromSeconds(5));
        await UntilWaiting(1);

        Clock.Advance(TimeSpan.FromSeconds(6));

        var error = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.AreEqual(ServiceBusFailureReason.ServiceTimeout, error.Reason);
        Assert.AreEqual(0, Bus.WaitingAcceptors("sessions"));
    }

    /// <summary>Acceptors get in line on the thread pool: wait until <paramref name="count"/> are in it.</summary>
    private async Task UntilWaiting(int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Bus.WaitingAcceptors("sessions") != count)
        {
            if (DateTime.UtcNow > until) Assert.Fail($"{Bus.WaitingAcceptors("sessions")} acceptors waiting, expected {count}.");
            await Task.Yield();
        }
    }

    [TestClass] public sealed class InMemory : WaitingAcceptor_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : WaitingAcceptor_Specs { protected override bool Durable => true; }
}
