using System.Text;
using ServiceBus.Local.Entities;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>A restart finds each entity as full as it was, from what the store holds: waiting messages whose payload
/// stays in the store (a window of one payload, a 20 KB body kept apart from its document), dead letters, scheduled
/// messages, a locked message released by the restart, session state. Settling afterwards takes off exactly what each
/// message added.</summary>
public abstract class When_the_broker_restarts_it_knows_how_full_each_entity_is : QuotaSpec
{
    protected override int PayloadsInMemoryPerEntity => 1;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.MaxSizeInBytes = 100_000);
        topology.AddQueue("sessions", q => { q.RequiresSession = true; q.MaxSizeInBytes = 100_000; });
        var orders = topology.AddTopic("orders", t => t.MaxSizeInBytes = 100_000);
        orders.AddSubscription("sap");
        orders.AddSubscription("lake");
        return topology;
    }

    [TestMethod]
    public async Task Every_entity_has_the_size_it_had_and_settling_empties_it()
    {
        await Bus.SendAsync("work", [OfSize(20_000, 1), OfSize(500, 2), OfSize(700, 3), OfSize(300, 4)]);
        await Bus.ScheduleAsync("work", OfSize(400, 5), Start + TimeSpan.FromHours(1));
        var receiver = Bus.CreateReceiver("work");
        var locked = await receiver.ReceiveAsync(2, TimeSpan.Zero);
        await receiver.DeadLetterAsync(locked[1].LockToken);
        await Bus.SendAsync("orders", [OfSize(1_000, 6), OfSize(2_000, 7)]);
        await Bus.ScheduleAsync("orders", OfSize(600, 8), Start + TimeSpan.FromHours(1));
        await Bus.SendAsync("sessions", OfSize(100, 9, sessionId: "order-1"));
        await using (var session = await Bus.AcceptNextSessionAsync("sessions"))
        {
            await session.SetSessionStateAsync(Encoding.UTF8.GetBytes("0123456789"));
        }
        // By hand: work 20,000 + 500 + 700 + 300 + 400; orders 2 × (1,000 + 2,000) + 600; sessions 100 + 10 of state.
        var expected = new[] { ("work", 21_900L), ("orders", 6_600L), ("sessions", 110L) };

        Restart();

        foreach (var (entity, bytes) in expected) Assert.AreEqual(bytes, Bus.GetEntitySize(entity).SizeInBytes, entity);
        var all = await ReceiveAll("work");
        foreach (var m in all) await Bus.CreateReceiver("work").CompleteAsync(m.LockToken);
        var deadLetters = Bus.CreateReceiver("work/$DeadLetterQueue");
        foreach (var m in await deadLetters.ReceiveAsync(10, TimeSpan.Zero)) await deadLetters.CompleteAsync(m.LockToken);
        await Bus.CancelScheduledAsync("work", (await Bus.PeekAsync("work", 10)).Single().SequenceNumber);
        Assert.AreEqual(0L, Bus.GetEntitySize("work").SizeInBytes);
    }

    [TestClass] public sealed class InMemory : When_the_broker_restarts_it_knows_how_full_each_entity_is { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_the_broker_restarts_it_knows_how_full_each_entity_is { protected override bool Durable => true; }
}
