using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Expiration;

public abstract class TimeToLive_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("expiring", q => { q.DefaultMessageTimeToLive = TimeSpan.FromMinutes(10); q.DeadLetteringOnMessageExpiration = true; q.LockDuration = TimeSpan.FromMinutes(1); });
        topology.AddQueue("dropping", q => q.DefaultMessageTimeToLive = TimeSpan.FromMinutes(10));
        topology.AddTopic("orders", t => t.DefaultMessageTimeToLive = TimeSpan.FromMinutes(30))
            .AddSubscription("archive", s => { s.DefaultMessageTimeToLive = TimeSpan.FromHours(1); s.DeadLetteringOnMessageExpiration = true; });
        return topology;
    }

    [TestMethod]
    public async Task An_expired_message_is_dead_lettered_with_TTLExpiredException_when_the_entity_says_so()
    {
        await Bus.SendAsync("expiring", Message(messageId: "old"));
        Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.AreEqual(0, (await ReceiveAll("expiring")).Count);
        var dead = await ReceiveOne("expiring/$DeadLetterQueue");
        Assert.AreEqual("old", dead.MessageId);
        Assert.AreEqual("TTLExpiredException", dead.DeadLetterReason);
    }

    [TestMethod]
    public async Task An_expired_message_is_dropped_when_dead_lettering_on_expiration_is_off()
    {
        await Bus.SendAsync("dropping", Message());
        Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.AreEqual(0, (await ReceiveAll("dropping")).Count);
        Assert.AreEqual(0L, Bus.GetMessageCounts("dropping").DeadLetter);
    }

    [TestMethod]
    public async Task The_effective_time_to_live_is_the_smaller_of_the_message_and_the_entity_default()
    {
        await Bus.SendAsync("expiring", [
            Message("short", configure: m => m.TimeToLive = TimeSpan.FromMinutes(2)),
            Message("long", configure: m => m.TimeToLive = TimeSpan.FromDays(1)),
            Message("unset"),
        ]);

        var peeked = await Bus.PeekAsync("expiring", 10);
        CollectionAssert.AreEqual(
            new[] { TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) },
            peeked.Select(m => m.TimeToLive).ToArray());
        Assert.AreEqual(Start + TimeSpan.FromMinutes(2), peeked[0].ExpiresAt);
    }

    [TestMethod]
    public async Task A_locked_message_does_not_expire_until_its_lock_is_released()
    {
        await Bus.SendAsync("expiring", Message(configure: m => m.TimeToLive = TimeSpan.FromSeconds(30)));
        var received = await ReceiveOne("expiring");
        Clock.Advance(TimeSpan.FromSeconds(45));

        await Bus.CreateReceiver("expiring").CompleteAsync(received.LockToken);

        Assert.AreEqual(0L, Bus.GetMessageCounts("expiring").DeadLetter);
    }

    [TestMethod]
    public async Task An_abandoned_message_past_its_expiry_goes_to_the_dead_letter_queue()
    {
        await Bus.SendAsync("expiring", Message(configure: m => m.TimeToLive = TimeSpan.FromSeconds(30)));
        var received = await ReceiveOne("expiring");
        Clock.Advance(TimeSpan.FromSeconds(45));

        await Bus.CreateReceiver("expiring").AbandonAsync(received.LockToken);

        Assert.AreEqual(0, (await ReceiveAll("expiring")).Count);
        Assert.AreEqual("TTLExpiredException", (await ReceiveOne("expiring/$DeadLetterQueue")).DeadLetterReason);
    }

    [TestMethod]
    public async Task A_topic_default_caps_the_time_to_live_of_its_subscriptions_copies()
    {
        await Bus.SendAsync("orders", Message());

        Assert.AreEqual(TimeSpan.FromMinutes(30), (await Bus.PeekAsync("orders/Subscriptions/archive")).Single().TimeToLive);
        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.AreEqual(1L, Bus.GetMessageCounts("orders/Subscriptions/archive").DeadLetter);
    }

    [TestClass] public sealed class InMemory : TimeToLive_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : TimeToLive_Specs { protected override bool Durable => true; }
}
