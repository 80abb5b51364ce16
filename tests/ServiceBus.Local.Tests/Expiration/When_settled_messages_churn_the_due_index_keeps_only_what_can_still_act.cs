using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Expiration;

/// <summary>
/// A settled message leaves its time-to-live and lock entries in the due-time index until their time passes (an hour
/// and more). The index is compacted once it outgrows what can still act, so a long-running broker's index follows what
/// is waiting, not the traffic of the last hour; what is still waiting, locked or scheduled keeps its entry and falls due
/// as before. The compaction floor is made small here; the broker's is 65,536 entries.
/// </summary>
public abstract class When_settled_messages_churn_the_due_index_keeps_only_what_can_still_act : BrokerSpec
{
    private const int Floor = 50;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => { q.DefaultMessageTimeToLive = TimeSpan.FromHours(1); q.LockDuration = TimeSpan.FromMinutes(1); });
        topology.AddQueue("waiting", q =>
        {
            q.DefaultMessageTimeToLive = TimeSpan.FromHours(1);
            q.DeadLetteringOnMessageExpiration = true;
            q.LockDuration = TimeSpan.FromMinutes(1);
        });
        topology.AddQueue("sessions", q => { q.RequiresSession = true; q.LockDuration = TimeSpan.FromMinutes(1); });
        return topology;
    }

    [TestInitialize]
    public void SmallFloor() => Bus.DueCompactionFloor = Floor;

    /// <summary>Sends, receives and completes <paramref name="count"/> messages on "work": each leaves a TTL entry and a
    /// lock entry behind.</summary>
    private async Task Churn(int count)
    {
        var receiver = Bus.CreateReceiver("work");
        for (var sent = 0; sent < count; sent += 25)
        {
            await Bus.SendAsync("work", Enumerable.Range(sent, 25).Select(i => Message(messageId: $"churn-{i}")).ToList());
            foreach (var m in await receiver.ReceiveAsync(25, TimeSpan.Zero)) await receiver.CompleteAsync(m);
        }
        Assert.AreEqual(0L, Bus.GetMessageCounts("work").Active, "every churned message is completed");
    }

    [TestMethod]
    public async Task The_entries_of_a_thousand_settled_messages_do_not_stay_in_the_index()
    {
        await Bus.SendAsync("waiting", Message(messageId: "still-waiting"));

        await Churn(1000);

        // 2,001 entries without compaction (a TTL and a lock entry per churned message, one TTL for the waiting one). A
        // compaction during a batch keeps its 25 messages' entries (up to 51 live), and the next one comes when the index
        // has doubled from that: at most about 2 x 51.
        var entries = Bus.GetMemoryFigures().DueEntries;
        Assert.IsTrue(entries <= 2 * 51, $"{entries} due-time entries");
    }

    [TestMethod]
    public async Task A_waiting_message_still_expires_at_its_time_to_live_after_compactions()
    {
        await Bus.SendAsync("waiting", Message(messageId: "still-waiting"));
        await Churn(1000);

        Clock.Advance(TimeSpan.FromHours(1));
        Bus.ProcessDueWork();

        var dead = await ReceiveOne("waiting/$DeadLetterQueue");
        Assert.AreEqual("still-waiting", dead.MessageId);
        Assert.AreEqual("TTLExpiredException", dead.DeadLetterReason);
    }

    [TestMethod]
    public async Task A_lock_held_across_compactions_still_ends_and_returns_its_message()
    {
        await Bus.SendAsync("waiting", Message(messageId: "held"));
        var held = await ReceiveOne("waiting");
        await Churn(1000);

        Clock.Advance(TimeSpan.FromMinutes(2));
        Bus.ProcessDueWork();

        var again = await ReceiveOne("waiting");
        Assert.AreEqual("held", again.MessageId);
        Assert.AreEqual(held.DeliveryCount + 1, again.DeliveryCount);
    }

    [TestMethod]
    public async Task A_message_scheduled_before_compactions_still_becomes_active_at_its_time()
    {
        await Bus.ScheduleAsync("waiting", Message(messageId: "later"), Start + TimeSpan.FromMinutes(10));
        await Churn(1000);

        Assert.AreEqual(0, (await ReceiveAll("waiting")).Count, "not before its time");
        Clock.Advance(TimeSpan.FromMinutes(10));
        Bus.ProcessDueWork();

        Assert.AreEqual("later", (await ReceiveOne("waiting")).MessageId);
    }

    [TestMethod]
    public async Task A_session_lock_held_across_compactions_still_ends_and_frees_its_session()
    {
        await Bus.SendAsync("sessions", Message(messageId: "in-session", sessionId: "order-1"));
        await using var first = await Bus.AcceptNextSessionAsync("sessions");
        await Churn(1000);

        Clock.Advance(TimeSpan.FromMinutes(2));
        Bus.ProcessDueWork();

        await using var second = await Bus.AcceptNextSessionAsync("sessions");
        Assert.AreEqual("order-1", second.SessionId);
    }

    [TestClass] public sealed class InMemory : When_settled_messages_churn_the_due_index_keeps_only_what_can_still_act { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_settled_messages_churn_the_due_index_keeps_only_what_can_still_act { protected override bool Durable => true; }
}
