using System.Text;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>What counts toward a queue's or topic's size. Sourced: dead letters ("As messages pile up in the dead letter
/// queue, they take up space", https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-exceptions-latest,
/// "Common causes") and session state ("counts towards that entity's storage quota",
/// https://learn.microsoft.com/azure/service-bus-messaging/message-sessions). The conservative reading where Learn is
/// silent: scheduled and deferred messages count (they are held by the entity), and a topic counts each subscription's
/// copy (docs/runtime/service-bus.md, "Entity size quota").</summary>
public abstract class EntitySize_Specs : QuotaSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.MaxSizeInBytes = 10_000);
        topology.AddQueue("sessions", q => { q.RequiresSession = true; q.MaxSizeInBytes = 10_000; });
        var orders = topology.AddTopic("orders", t => t.MaxSizeInBytes = 10_000);
        orders.AddSubscription("sap");
        orders.AddSubscription("lake");
        orders.AddSubscription("sms", configure: null, new RuleDefinition("opted-in", new SqlRuleFilter("smsOptIn = TRUE")));
        return topology;
    }

    [TestMethod]
    public void An_entity_without_a_quota_set_has_Azures_default_of_1024_MB()
    {
        var topology = new Topology();
        topology.AddQueue("q");

        Assert.AreEqual(1024, topology.Queues[0].Properties.MaxSizeInMegabytes);
        using var bus = LocalServiceBus.Create(topology);
        Assert.AreEqual(new EntitySizeFigures(0, 1_073_741_824), bus.GetEntitySize("q"));
    }

    [TestMethod]
    public async Task A_topic_counts_the_copy_of_each_subscription_the_message_reaches()
    {
        await Bus.SendAsync("orders", OfSize(1_000, 1));

        Assert.AreEqual(2_000L, Bus.GetEntitySize("orders").SizeInBytes, "sap and lake take it; sms filters it out");
    }

    [TestMethod]
    public async Task A_dead_lettered_message_still_counts_until_it_is_taken_from_the_dead_letter_queue()
    {
        await Bus.SendAsync("work", OfSize(1_000, 1));
        var receiver = Bus.CreateReceiver("work");
        await receiver.DeadLetterAsync((await receiver.ReceiveMessageAsync(TimeSpan.Zero))!.LockToken, "Poison");
        var afterDeadLettering = Bus.GetEntitySize("work").SizeInBytes;

        var deadLetters = Bus.CreateReceiver("work/$DeadLetterQueue");
        await deadLetters.CompleteAsync((await deadLetters.ReceiveMessageAsync(TimeSpan.Zero))!.LockToken);

        Assert.AreEqual(1_022L, afterDeadLettering, "the message and its reason property (DeadLetterReason = Poison: 16 + 6 bytes)");
        Assert.AreEqual(0L, Bus.GetEntitySize("work").SizeInBytes);
    }

    [TestMethod]
    public async Task Scheduled_and_deferred_messages_count_and_a_cancelled_one_leaves()
    {
        var scheduled = await Bus.ScheduleAsync("work", OfSize(400, 1), Start + TimeSpan.FromHours(1));
        await Bus.ScheduleAsync("orders", OfSize(300, 2), Start + TimeSpan.FromHours(1));
        await Bus.SendAsync("work", OfSize(600, 3));
        var receiver = Bus.CreateReceiver("work");
        await receiver.DeferAsync((await receiver.ReceiveMessageAsync(TimeSpan.Zero))!.LockToken);

        Assert.AreEqual(1_000L, Bus.GetEntitySize("work").SizeInBytes);
        Assert.AreEqual(300L, Bus.GetEntitySize("orders").SizeInBytes, "a topic's scheduled message counts once until it is fanned out");
        await Bus.CancelScheduledAsync("work", scheduled);
        Assert.AreEqual(600L, Bus.GetEntitySize("work").SizeInBytes);
    }

    [TestMethod]
    public async Task Session_state_counts_and_clearing_it_frees_it()
    {
        await Bus.SendAsync("sessions", OfSize(100, 1, sessionId: "order-1"));
        await using var session = await Bus.AcceptNextSessionAsync("sessions");

        await session.SetSessionStateAsync(Encoding.UTF8.GetBytes("12345"));
        var withState = Bus.GetEntitySize("sessions").SizeInBytes;
        await session.SetSessionStateAsync(Encoding.UTF8.GetBytes("123"));
        var replaced = Bus.GetEntitySize("sessions").SizeInBytes;
        await session.SetSessionStateAsync(null);

        Assert.AreEqual(105L, withState);
        Assert.AreEqual(103L, replaced);
        Assert.AreEqual(100L, Bus.GetEntitySize("sessions").SizeInBytes);
    }

    [TestClass] public sealed class InMemory : EntitySize_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : EntitySize_Specs { protected override bool Durable => true; }
}
