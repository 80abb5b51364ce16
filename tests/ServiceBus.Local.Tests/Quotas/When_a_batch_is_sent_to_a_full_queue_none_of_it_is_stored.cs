using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>A batch is accepted or refused whole (as a batch is for any other reason: size, validation): refused when it
/// arrives at a full queue, accepted whole when it finds room, even if its messages take the queue past its quota.</summary>
public abstract class When_a_batch_is_sent_to_a_full_queue_none_of_it_is_stored : QuotaSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.MaxSizeInBytes = 3_000);
        return topology;
    }

    [TestMethod]
    public async Task A_batch_arriving_at_a_full_queue_is_refused_whole()
    {
        await Bus.SendAsync("work", OfSize(3_000, 1));

        var refused = await Assert.ThrowsExactlyAsync<ServiceBusException>(() =>
            Bus.SendAsync("work", [OfSize(100, 2), OfSize(100, 3), OfSize(100, 4)]));

        Assert.AreEqual(ServiceBusFailureReason.QuotaExceeded, refused.Reason);
        StringAssert.Contains(refused.Message, "for Queue: 'work'");
        Restart();
        CollectionAssert.AreEqual(new[] { "m-01" }, (await ReceiveAll("work")).Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task A_batch_that_finds_room_is_accepted_whole_and_the_next_send_is_refused()
    {
        await Bus.SendAsync("work", OfSize(1_000, 1));

        await Bus.SendAsync("work", [OfSize(1_000, 2), OfSize(1_000, 3), OfSize(1_000, 4)]);

        Assert.AreEqual(new EntitySizeFigures(4_000, 3_000), Bus.GetEntitySize("work"));
        Assert.AreEqual(4L, Bus.GetMessageCounts("work").Active);
        await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.SendAsync("work", OfSize(100, 5)));
    }

    [TestClass] public sealed class InMemory : When_a_batch_is_sent_to_a_full_queue_none_of_it_is_stored { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_a_batch_is_sent_to_a_full_queue_none_of_it_is_stored { protected override bool Durable => true; }
}
