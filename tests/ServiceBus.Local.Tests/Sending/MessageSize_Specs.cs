using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Sending;

public abstract class MessageSize_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("standard");
        topology.AddQueue("premium", q => q.MaxMessageSizeInKilobytes = 1024);
        return topology;
    }

    [TestMethod]
    public async Task A_message_over_256_KB_is_rejected_with_MessageSizeExceeded_on_a_standard_entity()
    {
        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() =>
            Bus.SendAsync("standard", new Messages.ServiceBusMessage(new byte[256 * 1024 + 1])));

        Assert.AreEqual(ServiceBusFailureReason.MessageSizeExceeded, ex.Reason);
        Assert.AreEqual(0L, Bus.GetMessageCounts("standard").Active);
    }

    [TestMethod]
    public async Task Properties_count_towards_the_size()
    {
        var message = new Messages.ServiceBusMessage(new byte[256 * 1024 - 10]);
        message.ApplicationProperties["padding"] = new string('x', 20);

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.SendAsync("standard", message));
        Assert.AreEqual(ServiceBusFailureReason.MessageSizeExceeded, ex.Reason);
    }

    [TestMethod]
    public async Task A_configured_larger_limit_accepts_larger_messages()
    {
        await Bus.SendAsync("premium", new Messages.ServiceBusMessage(new byte[512 * 1024]));

        Assert.AreEqual(1L, Bus.GetMessageCounts("premium").Active);
    }

    [TestMethod]
    public async Task A_batch_with_one_oversized_message_is_rejected_whole()
    {
        await Assert.ThrowsExactlyAsync<ServiceBusException>(() =>
            Bus.SendAsync("standard", [Message(), new Messages.ServiceBusMessage(new byte[300 * 1024])]));

        Assert.AreEqual(0L, Bus.GetMessageCounts("standard").Active);
    }

    [TestMethod]
    public async Task Unsupported_property_types_are_rejected_at_send()
    {
        var message = Message();
        message.ApplicationProperties["blob"] = new byte[] { 1, 2 };

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Bus.SendAsync("standard", message));
    }

    [TestClass] public sealed class InMemory : MessageSize_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : MessageSize_Specs { protected override bool Durable => true; }
}
