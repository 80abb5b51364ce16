using System.Text;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>
/// Group commit: operations change the broker's memory under its lock and hand their changes to a writer that commits
/// batches outside it. An operation is acknowledged only when its batch is durable, so a broker started on what was
/// committed (as after the process is killed) has every acknowledged operation and none that was not.
/// </summary>
[TestClass]
public sealed class GroupCommit_Specs
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly GatedStore store = new();
    private readonly ManualClock clock = new(Start);

    private static Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        topology.AddQueue("sessions", q => q.RequiresSession = true);
        return topology;
    }

    private static ServiceBusMessage Message(string id) => new(Encoding.UTF8.GetBytes(id)) { MessageId = id };

    /// <summary>A broker started on what the store has committed so far: what a restart after a kill would find.</summary>
    private LocalServiceBus AfterAKill() => LocalServiceBus.Create(CreateTopology(), clock, store.Committed);

    [TestMethod]
    public async Task A_send_is_acknowledged_only_once_its_batch_is_committed()
    {
        using var bus = LocalServiceBus.Create(CreateTopology(), clock, store);
        await bus.SendAsync("work", Message("acknowledged"));

        store.Hold();
        var pending = bus.SendAsync("work", Message("not yet durable"));
        await store.WaitUntilACommitIsHeldAsync();

        Assert.IsFalse(pending.IsCompleted, "the send must not return before its message is durable");
        using (var restarted = AfterAKill())
        {
            var survivors = await restarted.PeekAsync("work", 10);
            CollectionAssert.AreEqual(new[] { "acknowledged" }, survivors.Select(m => m.MessageId).ToArray());
        }

        store.Release();
        await pending;
        using var afterCommit = AfterAKill();
        Assert.AreEqual(2, (await afterCommit.PeekAsync("work", 10)).Count);
    }

    [TestMethod]
    public async Task Operations_handed_over_during_a_commit_are_committed_together_in_the_next_batch()
    {
        using var bus = LocalServiceBus.Create(CreateTopology(), clock, store);
        var before = store.Commits;

        store.Hold();
        var first = bus.SendAsync("work", Message("first"));
        await store.WaitUntilACommitIsHeldAsync();
        var others = Enumerable.Range(0, 50).Select(i => bus.SendAsync("work", Message($"m-{i}"))).ToList();
        store.Release();
        await first;
        await Task.WhenAll(others);

        Assert.AreEqual(2, store.Commits - before, "one transaction for the first send, one for the 50 handed over meanwhile");
        using var restarted = AfterAKill();
        Assert.AreEqual(51, (await restarted.PeekAsync("work", 100)).Count);
    }

    [TestMethod]
    public async Task A_message_sent_and_locked_within_one_batch_is_committed_with_its_body()
    {
        using var bus = LocalServiceBus.Create(CreateTopology(), clock, store);
        store.Hold();
        var first = bus.SendAsync("work", Message("first"));
        await store.WaitUntilACommitIsHeldAsync();
        // Handed over while the first commit is held: the send (which carries the body) and the lock (which does not)
        // are folded into one write of the next batch.
        var sent = bus.SendAsync("work", Message("sent-and-locked"));
        var received = bus.CreateReceiver("work").ReceiveAsync(10, TimeSpan.Zero);
        store.Release();
        await first;
        await sent;
        Assert.AreEqual(2, (await received).Count);

        using var restarted = AfterAKill();
        var survivors = await restarted.PeekAsync("work", 10);
        CollectionAssert.AreEqual(new[] { "first", "sent-and-locked" }, survivors.Select(m => Encoding.UTF8.GetString(m.Body.ToArray())).ToArray());
        Assert.AreEqual(2, survivors[1].DeliveryCount, "the lock was committed too (lost in the restart, it counts)");
    }

    [TestMethod]
    public async Task Closing_a_session_with_every_message_settled_does_not_wait_for_a_commit_in_progress()
    {
        using var bus = LocalServiceBus.Create(CreateTopology(), clock, store);
        await bus.SendAsync("sessions", new ServiceBusMessage(Encoding.UTF8.GetBytes("x")) { MessageId = "s-1", SessionId = "order-1" });
        var session = await bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.Zero);
        await session.CompleteAsync((await session.ReceiveAsync(1, TimeSpan.Zero)).Single());

        store.Hold();
        var pending = bus.SendAsync("work", Message("held"));
        await store.WaitUntilACommitIsHeldAsync();
        var closing = session.DisposeAsync().AsTask();
        var closedAtOnce = closing.IsCompleted;
        var sendStillPending = !pending.IsCompleted;
        store.Release();
        await Task.WhenAll(pending, closing);

        Assert.IsTrue(closedAtOnce, "nothing of the session is left to make durable");
        Assert.IsTrue(sendStillPending);
        await using var next = await bus.AcceptSessionAsync("sessions", "order-1");
        Assert.AreEqual("order-1", next.SessionId, "the session was released");
    }

    [TestMethod]
    public async Task Closing_a_session_with_a_message_still_locked_returns_once_the_release_is_durable()
    {
        using var bus = LocalServiceBus.Create(CreateTopology(), clock, store);
        await bus.SendAsync("sessions", new ServiceBusMessage(Encoding.UTF8.GetBytes("x")) { MessageId = "s-1", SessionId = "order-1" });
        var session = await bus.AcceptNextSessionAsync("sessions", maxWaitTime: TimeSpan.Zero);
        Assert.AreEqual(1, (await session.ReceiveAsync(1, TimeSpan.Zero)).Count);

        store.Hold();
        var closing = session.DisposeAsync().AsTask();
        await store.WaitUntilACommitIsHeldAsync();

        var closedAtOnce = closing.IsCompleted;
        store.Release();
        await closing;

        Assert.IsFalse(closedAtOnce, "the released message's lock is a durable change");
    }

    [TestMethod]
    public async Task A_failed_commit_fails_its_operation_and_the_broker_refuses_further_operations()
    {
        using var bus = LocalServiceBus.Create(CreateTopology(), clock, store);
        store.FailNextCommit = true;

        await Assert.ThrowsExactlyAsync<IOException>(() => bus.SendAsync("work", Message("lost")));

        var refused = Assert.ThrowsExactly<InvalidOperationException>(() => bus.SendAsync("work", Message("after")));
        StringAssert.Contains(refused.Message, "store failed");
    }

    /// <summary>An in-memory store whose commits can be held (the writer blocks inside Commit) or made to fail;
    /// <see cref="Committed"/> holds exactly what was committed.</summary>
    private sealed class GatedStore : IMessageStore
    {
        private readonly ManualResetEventSlim open = new(initialState: true);
        private readonly SemaphoreSlim held = new(0);

        public InMemoryMessageStore Committed { get; } = new();
        public int Commits { get; private set; }
        public bool FailNextCommit { get; set; }

        public void Hold() => open.Reset();

        public void Release() => open.Set();

        public Task WaitUntilACommitIsHeldAsync() => held.WaitAsync(TimeSpan.FromSeconds(30));

        public StoreSnapshot Load() => Committed.Load();

        public void Commit(StoreChangeSet changes)
        {
            if (!open.IsSet) held.Release();
            open.Wait();
            if (FailNextCommit)
            {
                FailNextCommit = false;
                throw new IOException("disk full");
            }
            Committed.Commit(changes);
            Commits++;
        }

        public StoredMessage? ReadMessage(string storagePath, long sequenceNumber) => Committed.ReadMessage(storagePath, sequenceNumber);

        public void Dispose() { }
    }
}
