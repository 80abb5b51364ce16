using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>A topic of two subscriptions with a 4,000-byte quota: each subscription's copy counts, so a 1,000-byte
/// message adds 2,000 bytes. Azure: "Subsequent incoming messages are rejected, and an exception is received by the
/// calling code" (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas, "Queue or topic size").</summary>
public abstract class When_a_topic_is_full_a_send_is_refused_and_nothing_is_stored : QuotaSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        var orders = topology.AddTopic("orders", t => t.MaxSizeInBytes = 4_000);
        orders.AddSubscription("sap");
        orders.AddSubscription("lake");
        return topology;
    }

    [TestMethod]
    public async Task The_send_gets_QuotaExceeded_naming_the_topic_its_size_and_its_maximum()
    {
        await Bus.SendAsync("orders", OfSize(1_000, 1));
        await Bus.SendAsync("orders", OfSize(1_000, 2));

        var refused = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.SendAsync("orders", OfSize(1_000, 3)));

        Assert.AreEqual(ServiceBusFailureReason.QuotaExceeded, refused.Reason);
        Assert.AreEqual("orders", refused.EntityPath);
        StringAssert.Contains(refused.Message, "The maximum entity size has been reached or exceeded for Topic: 'orders'");
        StringAssert.Contains(refused.Message, "Size of entity in bytes:4000");
        StringAssert.Contains(refused.Message, "Max entity size in bytes:4000");
        Assert.IsFalse(refused.IsTransient);
    }

    [TestMethod]
    public async Task No_subscription_gets_the_refused_message_not_even_after_a_restart()
    {
        await Bus.SendAsync("orders", OfSize(1_000, 1));
        await Bus.SendAsync("orders", OfSize(1_000, 2));
        await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.SendAsync("orders", OfSize(1_000, 3)));

        Restart();

        foreach (var subscription in new[] { "orders/Subscriptions/sap", "orders/Subscriptions/lake" })
        {
            CollectionAssert.AreEqual(new[] { "m-01", "m-02" }, (await ReceiveAll(subscription)).Select(m => m.MessageId).ToArray(), subscription);
        }
        Assert.AreEqual(new EntitySizeFigures(4_000, 4_000), Bus.GetEntitySize("orders"));
    }

    [TestMethod]
    public async Task A_send_that_finds_room_is_accepted_even_when_it_takes_the_topic_past_its_maximum()
    {
        await Bus.SendAsync("orders", OfSize(1_500, 1));

        await Bus.SendAsync("orders", OfSize(1_500, 2));

        Assert.AreEqual(new EntitySizeFigures(6_000, 4_000), Bus.GetEntitySize("orders"));
        Assert.AreEqual(2L, Bus.GetMessageCounts("orders/Subscriptions/sap").Active);
        await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.SendAsync("orders", OfSize(10, 3)));
    }

    [TestMethod]
    public async Task A_scheduled_send_to_a_full_topic_is_refused_too()
    {
        await Bus.SendAsync("orders", OfSize(2_000, 1));

        var refused = await Assert.ThrowsExactlyAsync<ServiceBusException>(() =>
            Bus.ScheduleAsync("orders", OfSize(100, 2), Start + TimeSpan.FromMinutes(5)));

        Assert.AreEqual(ServiceBusFailureReason.QuotaExceeded, refused.Reason);
        Assert.AreEqual(new EntitySizeFigures(4_000, 4_000), Bus.GetEntitySize("orders"));
        Clock.Advance(TimeSpan.FromMinutes(6));
        CollectionAssert.AreEqual(new[] { "m-01" }, (await ReceiveAll("orders/Subscriptions/sap")).Select(m => m.MessageId).ToArray());
    }

    [TestClass] public sealed class InMemory : When_a_topic_is_full_a_send_is_refused_and_nothing_is_stored { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_a_topic_is_full_a_send_is_refused_and_nothing_is_stored { protected override bool Durable => true; }
}
