using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Expiration;

/// <summary>Time-driven work (lock expiry, TTL, scheduled messages, duplicate-detection history) comes from a due-time
/// index; what is settled or renewed leaves stale entries that go once their time has passed, so the index does not grow
/// with the history of a broker, only with what is waiting.</summary>
public abstract class DueIndex_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q =>
        {
            q.RequiresDuplicateDetection = true;
            q.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(10);
            q.DefaultMessageTimeToLive = TimeSpan.FromHours(1);
            q.LockDuration = TimeSpan.FromMinutes(1);
        });
        topology.AddQueue("sessions", q => { q.RequiresSession = true; q.LockDuration = TimeSpan.FromMinutes(1); });
        return topology;
    }

    [TestMethod]
    public async Task Once_everything_is_settled_and_its_times_have_passed_the_index_is_empty()
    {
        for (var i = 0; i < 50; i++) await Bus.SendAsync("work", Message(messageId: $"m-{i}"));
        await Bus.SendAsync("sessions", Message(sessionId: "s-1"));
        await Bus.ScheduleAsync("work", Message(messageId: "later"), Start + TimeSpan.FromMinutes(5));
        var receiver = Bus.CreateReceiver("work");
        foreach (var m in await receiver.ReceiveAsync(50, TimeSpan.Zero))
        {
            await receiver.RenewLockAsync(m.LockToken);
            await receiver.CompleteAsync(m);
        }
        await using (var session = await Bus.AcceptNextSessionAsync("sessions"))
        {
            await session.RenewSessionLockAsync();
            await session.CompleteAsync((await session.ReceiveAsync(1, TimeSpan.Zero)).Single());
        }
        Assert.IsTrue(Bus.GetMemoryFigures().DueEntries > 0);

        Clock.Advance(TimeSpan.FromMinutes(6));
        await receiver.CompleteAsync((await receiver.ReceiveAsync(1, TimeSpan.Zero)).Single());
        Clock.Advance(TimeSpan.FromHours(2));
        Bus.ProcessDueWork();

        Assert.AreEqual(0L, Bus.GetMemoryFigures().DueEntries);
        Assert.AreEqual(0L, Bus.GetMemoryFigures().ExpiryOrderEntries);
        Assert.AreEqual(0L, Bus.GetMemoryFigures().MessagesInMemory);
    }

    [TestMethod]
    public async Task A_lock_renewed_before_its_first_expiry_is_not_released_by_the_stale_entry()
    {
        await Bus.SendAsync("work", Message(messageId: "m-1"));
        var receiver = Bus.CreateReceiver("work");
        var m = (await receiver.ReceiveAsync(1, TimeSpan.Zero)).Single();

        Clock.Advance(TimeSpan.FromSeconds(50));
        await receiver.RenewLockAsync(m.LockToken);
        Clock.Advance(TimeSpan.FromSeconds(50)); // past the first lock's end, within the renewed one
        Bus.ProcessDueWork();

        await receiver.CompleteAsync(m);
        Assert.AreEqual(0, (await Bus.PeekAsync("work", 10)).Count);
    }

    [TestClass] public sealed class InMemory : DueIndex_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : DueIndex_Specs { protected override bool Durable => true; }
}
