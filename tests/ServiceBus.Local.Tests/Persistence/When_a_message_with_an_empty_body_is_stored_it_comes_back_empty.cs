using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>An empty body is a body (Service Bus accepts empty messages): the store keeps it as zero bytes, not as
/// "no body", through a lock, a restart and a read-back beyond the payload window.</summary>
public abstract class When_a_message_with_an_empty_body_is_stored_it_comes_back_empty : BrokerSpec
{
    protected override int PayloadsInMemoryPerEntity => 1;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        return topology;
    }

    [TestMethod]
    public async Task After_a_lock_lost_in_a_restart_and_beyond_the_window()
    {
        for (var i = 0; i < 3; i++) await Bus.SendAsync("work", new ServiceBusMessage(Array.Empty<byte>()) { MessageId = $"empty-{i}" });
        var locked = await ReceiveOne("work");
        Assert.AreEqual("empty-0", locked.MessageId);

        Restart();
        var received = await ReceiveAll("work");

        Assert.AreEqual(3, received.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual($"empty-{i}", received[i].MessageId);
            Assert.AreEqual(0, received[i].Body.ToArray().Length, $"body of {received[i].MessageId}");
        }
        Assert.AreEqual(2, received[0].DeliveryCount, "the lock lost in the restart counts as a delivery");
    }

    [TestClass] public sealed class InMemory : When_a_message_with_an_empty_body_is_stored_it_comes_back_empty { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_a_message_with_an_empty_body_is_stored_it_comes_back_empty { protected override bool Durable => true; }
}
