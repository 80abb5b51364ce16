using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Sending;

public abstract class DuplicateDetection_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("dedup", q => { q.RequiresDuplicateDetection = true; q.DuplicateDetectionHistoryTimeWindow = TimeSpan.FromMinutes(10); });
        topology.AddQueue("plain");
        topology.AddTopic("orders", t => t.RequiresDuplicateDetection = true).AddSubscription("all");
        return topology;
    }

    [TestMethod]
    public async Task A_second_message_with_the_same_MessageId_inside_the_window_is_accepted_and_silently_dropped()
    {
        await Bus.SendAsync("dedup", Message("first", "order-1"));
        await Bus.SendAsync("dedup", Message("second", "order-1"));

        var all = await ReceiveAll("dedup");
        Assert.AreEqual(1, all.Count);
        Assert.AreEqual("first", Text(all[0]));
    }

    [TestMethod]
    public async Task Only_the_MessageId_is_compared()
    {
        await Bus.SendAsync("dedup", [Message("same", "a"), Message("same", "b")]);

        Assert.AreEqual(2, (await ReceiveAll("dedup")).Count);
    }

    [TestMethod]
    public async Task After_the_window_the_same_MessageId_is_accepted_again()
    {
        await Bus.SendAsync("dedup", Message("first", "order-1"));
        Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await Bus.SendAsync("dedup", Message("again", "order-1"));

        Assert.AreEqual(2, (await ReceiveAll("dedup")).Count);
    }

    [TestMethod]
    public async Task Completing_the_first_copy_does_not_reopen_the_window()
    {
        await Bus.SendAsync("dedup", Message("first", "order-1"));
        var received = await ReceiveOne("dedup");
        await Bus.CreateReceiver("dedup").CompleteAsync(received.LockToken);

        await Bus.SendAsync("dedup", Message("second", "order-1"));

        Assert.AreEqual(0, (await ReceiveAll("dedup")).Count);
    }

    [TestMethod]
    public async Task Entities_without_duplicate_detection_keep_every_copy()
    {
        await Bus.SendAsync("plain", [Message("1", "x"), Message("2", "x")]);

        Assert.AreEqual(2, (await ReceiveAll("plain")).Count);
    }

    [TestMethod]
    public async Task A_topic_with_duplicate_detection_fans_out_only_the_first_copy()
    {
        await Bus.SendAsync("orders", [Message("1", "x"), Message("2", "x")]);

        Assert.AreEqual(1, (await ReceiveAll("orders/Subscriptions/all")).Count);
    }

    [TestMethod]
    public async Task Scheduled_messages_count_for_duplicate_detection()
    {
        await Bus.ScheduleAsync("dedup", Message("scheduled", "s-1"), Start + TimeSpan.FromMinutes(1));
        await Bus.SendAsync("dedup", Message("direct", "s-1"));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var all = await ReceiveAll("dedup");
        Assert.AreEqual("scheduled", Text(all.Single()));
    }

    [TestClass] public sealed class InMemory : DuplicateDetection_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : DuplicateDetection_Specs { protected override bool Durable => true; }
}
