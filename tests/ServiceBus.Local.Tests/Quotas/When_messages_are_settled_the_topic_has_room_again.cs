using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>A full topic takes sends again once its subscriptions settle enough: every copy a subscription completes
/// (or receives and deletes, or lets expire without dead-lettering) leaves the topic's size at once.</summary>
public abstract class When_messages_are_settled_the_topic_has_room_again : QuotaSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        var orders = topology.AddTopic("orders", t => t.MaxSizeInBytes = 4_000);
        orders.AddSubscription("sap");
        orders.AddSubscription("lake", s => s.DefaultMessageTimeToLive = TimeSpan.FromMinutes(10));
        return topology;
    }

    private async Task FillAsync()
    {
        await Bus.SendAsync("orders", OfSize(1_000, 1));
        await Bus.SendAsync("orders", OfSize(1_000, 2));
        await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.SendAsync("orders", OfSize(1_000, 3)));
    }

    [TestMethod]
    public async Task Completing_one_subscriptions_copy_makes_room_for_the_event_refused_before()
    {
        await FillAsync();
        var receiver = Bus.CreateReceiver("orders/Subscriptions/sap");

        await receiver.CompleteAsync((await receiver.ReceiveMessageAsync(TimeSpan.Zero))!.LockToken);
        await Bus.SendAsync("orders", OfSize(1_000, 3));

        Assert.AreEqual(new EntitySizeFigures(5_000, 4_000), Bus.GetEntitySize("orders"));
        CollectionAssert.AreEqual(new[] { "m-02", "m-03" }, (await ReceiveAll("orders/Subscriptions/sap")).Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task A_receive_and_delete_frees_the_copy_it_took()
    {
        await FillAsync();

        await Bus.CreateReceiver("orders/Subscriptions/lake", ReceiveMode.ReceiveAndDelete).ReceiveAsync(2, TimeSpan.Zero);

        Assert.AreEqual(new EntitySizeFigures(2_000, 4_000), Bus.GetEntitySize("orders"));
    }

    [TestMethod]
    public async Task Expired_copies_leave_when_they_expire()
    {
        await FillAsync();

        Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.AreEqual(new EntitySizeFigures(2_000, 4_000), Bus.GetEntitySize("orders"));
        await Bus.SendAsync("orders", OfSize(1_000, 3));
    }

    [TestClass] public sealed class InMemory : When_messages_are_settled_the_topic_has_room_again { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_messages_are_settled_the_topic_has_room_again { protected override bool Durable => true; }
}
