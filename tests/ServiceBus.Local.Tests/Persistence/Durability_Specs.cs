using System.Text;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A restart loses nothing: messages, dead letters, deferred and scheduled messages, duplicate-detection
/// history, sequence numbers and session state come back; locks do not (they are released as on a dropped connection).</summary>
public abstract class Durability_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => { q.RequiresDuplicateDetection = true; q.MaxDeliveryCount = 2; });
        topology.AddQueue("sessions", q => q.RequiresSession = true);
        topology.AddTopic("orders").AddSubscription("all");
        return topology;
    }

    [TestMethod]
    public async Task Active_messages_survive_a_restart_with_body_properties_and_sequence_numbers()
    {
        var when = new DateTime(2026, 2, 1, 8, 30, 0, DateTimeKind.Utc);
        await Bus.SendAsync("work", Message("payload", "m-1", configure: m =>
        {
            m.Subject = "OrderCreated";
            m.ApplicationProperties["quantity"] = 3;
            m.ApplicationProperties["total"] = 12.5m;
            m.ApplicationProperties["when"] = when;
            m.ApplicationProperties["urgent"] = true;
        }));

        Restart();

        var received = await ReceiveOne("work");
        Assert.AreEqual("payload", Text(received));
        Assert.AreEqual("OrderCreated", received.Subject);
        Assert.AreEqual(3, received.ApplicationProperties["quantity"]);
        Assert.AreEqual(12.5m, received.ApplicationProperties["total"]);
        Assert.AreEqual(when, received.ApplicationProperties["when"]);
        Assert.AreEqual(true, received.ApplicationProperties["urgent"]);
        await Bus.SendAsync("work", Message());
        Assert.AreEqual(2L, (await Bus.PeekAsync("work", 5)).Last().SequenceNumber);
    }

    [TestMethod]
    public async Task Dead_letters_deferred_and_scheduled_messages_survive_a_restart()
    {
        await Bus.SendAsync("work", [Message(messageId: "dead"), Message(messageId: "deferred")]);
        var receiver = Bus.CreateReceiver("work");
        var both = await receiver.ReceiveAsync(2, TimeSpan.Zero);
        await receiver.DeadLetterAsync(both[0].LockToken, "Broken");
        await receiver.DeferAsync(both[1].LockToken);
        var scheduled = await Bus.ScheduleAsync("orders", Message(messageId: "later"), Start + TimeSpan.FromMinutes(5));

        Restart();

        Assert.AreEqual("Broken", (await ReceiveOne("work/$DeadLetterQueue")).DeadLetterReason);
        Assert.AreEqual("deferred", (await Bus.CreateReceiver("work").ReceiveDeferredAsync([both[1].SequenceNumber])).Single().MessageId);
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.AreEqual("later", (await ReceiveOne("orders/Subscriptions/all")).MessageId);
        Assert.IsTrue(scheduled > 0);
    }

    [TestMethod]
    public async Task Duplicate_detection_history_survives_a_restart()
    {
        await Bus.SendAsync("work", Message(messageId: "once"));
        Restart();
        await Bus.SendAsync("work", Message(messageId: "once"));

        Assert.AreEqual(1, (await ReceiveAll("work")).Count);
    }

    [TestMethod]
    public async Task A_restart_releases_locks_and_counts_the_lost_lock_as_a_delivery()
    {
        await Bus.SendAsync("work", Message(messageId: "m-1"));
        var before = await ReceiveOne("work");

        Restart();

        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.CreateReceiver("work").CompleteAsync(before.LockToken));
        Assert.AreEqual(ServiceBusFailureReason.MessageLockLost, ex.Reason);
        var after = await ReceiveOne("work");
        Assert.AreEqual(2, after.DeliveryCount);
        Restart();
        Assert.AreEqual("MaxDeliveryCountExceeded", (await ReceiveOne("work/$DeadLetterQueue")).DeadLetterReason);
    }

    [TestMethod]
    public async Task Session_state_survives_and_session_locks_are_released_without_counting()
    {
        await Bus.SendAsync("sessions", Message(sessionId: "S"));
        var session = await Bus.AcceptSessionAsync("sessions", "S");
        await session.SetSessionStateAsync(Encoding.UTF8.GetBytes("halfway"));
        await session.ReceiveMessageAsync(TimeSpan.Zero);

        Restart();

        await using var again = await Bus.AcceptSessionAsync("sessions", "S");
        Assert.AreEqual("halfway", Encoding.UTF8.GetString((await again.GetSessionStateAsync())!));
        Assert.AreEqual(1, (await again.ReceiveMessageAsync(TimeSpan.Zero))!.DeliveryCount);
    }

    [TestMethod]
    public async Task Completed_messages_stay_gone_after_a_restart()
    {
        await Bus.SendAsync("work", Message());
        await Bus.CreateReceiver("work").CompleteAsync((await ReceiveOne("work")).LockToken);

        Restart();

        Assert.AreEqual(new EntityMessageCounts(0, 0, 0, 0), Bus.GetMessageCounts("work"));
    }

    [TestClass] public sealed class InMemory : Durability_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : Durability_Specs { protected override bool Durable => true; }
}
