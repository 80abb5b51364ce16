using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A body too large to share its message's row (SQLite keeps it in a table of its own) comes back byte for
/// byte wherever the broker reads it: a peek and a receive beyond the payload window, a receive after a restart that
/// lost the message's lock, and a receive from the dead-letter queue it was moved to (its body written at the new place).
/// A small body beside it too.</summary>
public abstract class When_a_large_message_is_stored_it_comes_back_whole : BrokerSpec
{
    protected override int PayloadsInMemoryPerEntity => 1;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        return topology;
    }

    private static byte[] Body(int i, int size)
    {
        var body = new byte[size];
        new Random(i).NextBytes(body);
        return body;
    }

    private static readonly byte[][] Bodies = [Body(0, 60_000), Body(1, 300), Body(2, 20_000), Body(3, 4_000)];

    [TestMethod]
    public async Task Through_peeks_locks_a_restart_and_dead_lettering()
    {
        for (var i = 0; i < Bodies.Length; i++) await Bus.SendAsync("work", new ServiceBusMessage(Bodies[i]) { MessageId = $"order-{i}" });
        var peeked = await Bus.CreateReceiver("work").PeekAsync(10);
        var locked = await ReceiveOne("work");

        Restart();
        var receiver = Bus.CreateReceiver("work");
        var received = await receiver.ReceiveAsync(10, TimeSpan.Zero);
        await receiver.DeadLetterAsync(received[2], "TooLarge");
        Restart();
        var deadLettered = await ReceiveOne("work/$DeadLetterQueue");

        Assert.AreEqual(Bodies.Length, peeked.Count);
        for (var i = 0; i < Bodies.Length; i++)
        {
            CollectionAssert.AreEqual(Bodies[i], peeked[i].Body.ToArray(), $"peeked order-{i}");
            CollectionAssert.AreEqual(Bodies[i], received[i].Body.ToArray(), $"received order-{i}");
        }
        CollectionAssert.AreEqual(Bodies[0], locked.Body.ToArray());
        Assert.AreEqual(2, received[0].DeliveryCount, "the lock lost in the restart counts as a delivery");
        Assert.AreEqual("order-2", deadLettered.MessageId);
        CollectionAssert.AreEqual(Bodies[2], deadLettered.Body.ToArray());
    }

    [TestClass] public sealed class InMemory : When_a_large_message_is_stored_it_comes_back_whole { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_a_large_message_is_stored_it_comes_back_whole { protected override bool Durable => true; }
}
