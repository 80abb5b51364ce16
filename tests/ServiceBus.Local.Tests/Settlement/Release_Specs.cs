using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Settlement;

/// <summary>Releasing a lock hands the message back without a delivery: the AMQP <c>released</c> outcome a client
/// sends for a message that arrived after its receive call gave up.</summary>
public abstract class Release_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.MaxDeliveryCount = 1);
        return topology;
    }

    [TestMethod]
    public async Task A_released_message_is_available_again_with_its_delivery_count_unchanged()
    {
        await Bus.SendAsync("work", Message("x", "m-1"));
        var first = await ReceiveOne("work");

        await Bus.CreateReceiver("work").ReleaseAsync(first.LockToken);

        var again = await ReceiveOne("work");
        Assert.AreEqual("m-1", again.MessageId);
        Assert.AreEqual(1, again.DeliveryCount, "a release is not a delivery (MaxDeliveryCount 1 would have dead-lettered an abandon)");
    }

    [TestClass] public sealed class InMemory : Release_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : Release_Specs { protected override bool Durable => true; }
}
