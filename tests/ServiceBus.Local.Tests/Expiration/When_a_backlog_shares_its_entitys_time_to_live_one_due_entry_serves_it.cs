using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Expiration;

/// <summary>
/// Messages stamped with their entity's time to live expire in the order they arrived, so a backlog needs one due-time
/// entry per entity, not one per message: each waiting message is a sequence number in its entity's expiry order
/// (8 bytes) instead of an index entry (48). A message that breaks the order (a shorter time to live of its own) gets an
/// entry of its own. What expires, when, and where it goes is as before.
/// </summary>
public abstract class When_a_backlog_shares_its_entitys_time_to_live_one_due_entry_serves_it : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("orders", q =>
        {
            q.DefaultMessageTimeToLive = TimeSpan.FromHours(1);
            q.DeadLetteringOnMessageExpiration = true;
            q.LockDuration = TimeSpan.FromMinutes(5);
        });
        return topology;
    }

    /// <summary>The dead letters that arrived since the last call (each is taken off the dead-letter queue).</summary>
    private async Task<IReadOnlyList<string?>> DeadLettered()
    {
        var receiver = Bus.CreateReceiver("orders/$DeadLetterQueue");
        var dead = await receiver.ReceiveAsync(2000, TimeSpan.Zero);
        foreach (var m in dead) await receiver.CompleteAsync(m);
        return dead.Select(m => m.MessageId).ToList();
    }

    [TestMethod]
    public async Task A_thousand_waiting_messages_hold_one_due_time_entry_between_them()
    {
        for (var i = 0; i < 1000; i += 100)
            await Bus.SendAsync("orders", Enumerable.Range(i, 100).Select(n => Message(messageId: $"m-{n}")).ToList());

        var figures = Bus.GetMemoryFigures();
        Assert.AreEqual(1L, figures.DueEntries);
        Assert.AreEqual(1000L, figures.ExpiryOrderEntries);
    }

    [TestMethod]
    public async Task Each_expires_at_its_own_time_in_the_order_they_arrived()
    {
        await Bus.SendAsync("orders", Message(messageId: "first"));
        Clock.Advance(TimeSpan.FromMinutes(10));
        await Bus.SendAsync("orders", Message(messageId: "second"));
        Clock.Advance(TimeSpan.FromMinutes(10));
        await Bus.SendAsync("orders", Message(messageId: "third"));

        Clock.Advance(TimeSpan.FromMinutes(45)); // 65 minutes after the first, 55 after the second
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "first" }, (await DeadLettered()).ToArray());
        Assert.AreEqual(2L, Bus.GetMessageCounts("orders").Active);

        Clock.Advance(TimeSpan.FromMinutes(20));
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "second", "third" }, (await DeadLettered()).ToArray());
        Assert.AreEqual(0L, Bus.GetMemoryFigures().ExpiryOrderEntries);
    }

    [TestMethod]
    public async Task A_message_with_a_shorter_time_to_live_of_its_own_expires_before_those_sent_earlier()
    {
        await Bus.SendAsync("orders", Message(messageId: "default"));
        await Bus.SendAsync("orders", Message(messageId: "short", configure: m => m.TimeToLive = TimeSpan.FromMinutes(10)));
        Assert.AreEqual(2L, Bus.GetMemoryFigures().DueEntries, "the order's entry and the short one's own");

        Clock.Advance(TimeSpan.FromMinutes(11));
        Bus.ProcessDueWork();

        CollectionAssert.AreEqual(new[] { "short" }, (await DeadLettered()).ToArray());
        Assert.AreEqual("default", (await ReceiveOne("orders")).MessageId);
    }

    [TestMethod]
    public async Task Messages_sent_after_a_shorter_lived_one_still_expire_at_their_time()
    {
        await Bus.SendAsync("orders", Message(messageId: "short", configure: m => m.TimeToLive = TimeSpan.FromMinutes(10)));
        await Bus.SendAsync("orders", Message(messageId: "default"));

        Clock.Advance(TimeSpan.FromMinutes(11));
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "short" }, (await DeadLettered()).ToArray());

        Clock.Advance(TimeSpan.FromMinutes(50));
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "default" }, (await DeadLettered()).ToArray());
    }

    [TestMethod]
    public async Task A_message_locked_at_its_time_expires_when_its_lock_ends_and_the_ones_behind_it_do_not_wait()
    {
        await Bus.SendAsync("orders", Message(messageId: "locked"));
        await Bus.SendAsync("orders", Message(messageId: "waiting"));
        Clock.Advance(TimeSpan.FromMinutes(57));
        var locked = await ReceiveOne("orders"); // held until 62 minutes
        Assert.AreEqual("locked", locked.MessageId);

        Clock.Advance(TimeSpan.FromMinutes(4)); // 61 minutes: both past their time, one of them locked
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "waiting" }, (await DeadLettered()).ToArray());

        Clock.Advance(TimeSpan.FromMinutes(2)); // the lock has ended
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "locked" }, (await DeadLettered()).ToArray());
    }

    [TestMethod]
    public async Task Settled_messages_leave_the_order_as_it_grows()
    {
        Bus.DueCompactionFloor = 50;
        await Bus.SendAsync("orders", Message(messageId: "still-waiting"));
        var held = await ReceiveOne("orders"); // locked while the others come and go (the clock stands still)
        var receiver = Bus.CreateReceiver("orders");
        for (var sent = 0; sent < 1000; sent += 25)
        {
            await Bus.SendAsync("orders", Enumerable.Range(sent, 25).Select(i => Message(messageId: $"churn-{i}")).ToList());
            foreach (var m in await receiver.ReceiveAsync(25, TimeSpan.Zero)) await receiver.CompleteAsync(m);
        }

        // 1,001 without compaction; a compaction keeps what waits (at most a batch and the held one), and the next comes
        // when the order has doubled from that.
        var entries = Bus.GetMemoryFigures().ExpiryOrderEntries;
        Assert.IsTrue(entries <= 2 * 26, $"{entries} entries in the expiry order");

        await receiver.AbandonAsync(held.LockToken);
        Clock.Advance(TimeSpan.FromHours(1));
        Bus.ProcessDueWork();
        CollectionAssert.AreEqual(new[] { "still-waiting" }, (await DeadLettered()).ToArray());
    }

    [TestClass] public sealed class InMemory : When_a_backlog_shares_its_entitys_time_to_live_one_due_entry_serves_it { protected override bool Durable => false; }

    [TestClass]
    public sealed class Sqlite : When_a_backlog_shares_its_entitys_time_to_live_one_due_entry_serves_it
    {
        protected override bool Durable => true;

        [TestMethod]
        public async Task After_a_restart_the_backlog_still_expires_in_order()
        {
            await Bus.SendAsync("orders", Message(messageId: "first"));
            Clock.Advance(TimeSpan.FromMinutes(10));
            await Bus.SendAsync("orders", Message(messageId: "second"));

            Restart();
            Assert.AreEqual(2L, Bus.GetMemoryFigures().ExpiryOrderEntries);
            Clock.Advance(TimeSpan.FromMinutes(55));
            Bus.ProcessDueWork();
            CollectionAssert.AreEqual(new[] { "first" }, (await DeadLettered()).ToArray());

            Clock.Advance(TimeSpan.FromMinutes(10));
            Bus.ProcessDueWork();
            CollectionAssert.AreEqual(new[] { "second" }, (await DeadLettered()).ToArray());
        }
    }
}
