using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Settlement;

public abstract class DeadLetter_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        topology.AddTopic("orders").AddSubscription("sap-fulfillment");
        return topology;
    }

    [TestMethod]
    public async Task When_a_receiver_dead_letters_a_message_the_reason_and_description_are_application_properties_on_the_dead_letter_queue()
    {
        await Bus.SendAsync("work", Message("payload", "m-1"));
        var received = await ReceiveOne("work");

        await Bus.CreateReceiver("work").DeadLetterAsync(received.LockToken, "InvalidMessage", "orderId is missing");

        var dead = await ReceiveOne("work/$DeadLetterQueue");
        Assert.AreEqual("m-1", dead.MessageId);
        Assert.AreEqual("payload", Text(dead));
        Assert.AreEqual("InvalidMessage", dead.ApplicationProperties["DeadLetterReason"]);
        Assert.AreEqual("orderId is missing", dead.ApplicationProperties["DeadLetterErrorDescription"]);
        Assert.AreEqual("InvalidMessage", dead.DeadLetterReason);
        Assert.AreEqual(received.SequenceNumber, dead.SequenceNumber);
        Assert.AreEqual("work/$DeadLetterQueue", dead.EntityPath);
        Assert.AreEqual(0, (await ReceiveAll("work")).Count);
    }

    [TestMethod]
    public async Task The_dead_letter_queue_path_is_case_insensitive_and_exists_per_subscription()
    {
        await Bus.SendAsync("orders", Message("o-1", "m-1"));
        var received = await ReceiveOne("orders/Subscriptions/sap-fulfillment");
        await Bus.CreateReceiver("ORDERS/subscriptions/SAP-FULFILLMENT").DeadLetterAsync(received.LockToken, "DownstreamRejected");

        var dead = await ReceiveOne("orders/subscriptions/sap-fulfillment/$deadletterqueue");
        Assert.AreEqual("m-1", dead.MessageId);
        Assert.AreEqual(1L, Bus.GetMessageCounts("orders/Subscriptions/sap-fulfillment").DeadLetter);
    }

    [TestMethod]
    public async Task Dead_letters_are_received_with_peek_lock_and_stay_until_completed()
    {
        await Bus.SendAsync("work", Message());
        await Bus.CreateReceiver("work").DeadLetterAsync((await ReceiveOne("work")).LockToken, "X");
        var dlq = Bus.CreateReceiver("work/$DeadLetterQueue");

        var first = await dlq.ReceiveMessageAsync(TimeSpan.Zero);
        await dlq.AbandonAsync(first!.LockToken);
        var again = await dlq.ReceiveMessageAsync(TimeSpan.Zero);
        await dlq.CompleteAsync(again!.LockToken);

        Assert.AreEqual(0, Bus.GetMessageCounts("work").DeadLetter);
    }

    [TestMethod]
    public async Task A_message_in_a_dead_letter_queue_cannot_be_dead_lettered_again()
    {
        await Bus.SendAsync("work", Message());
        await Bus.CreateReceiver("work").DeadLetterAsync((await ReceiveOne("work")).LockToken, "X");
        var dead = await ReceiveOne("work/$DeadLetterQueue");

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => Bus.CreateReceiver("work/$DeadLetterQueue").DeadLetterAsync(dead.LockToken, "Y"));
    }

    [TestMethod]
    public async Task Properties_to_modify_are_applied_when_dead_lettering()
    {
        await Bus.SendAsync("work", Message());
        await Bus.CreateReceiver("work").DeadLetterAsync((await ReceiveOne("work")).LockToken, "X", null,
            new Dictionary<string, object?> { ["attempt"] = 3 });

        var dead = await ReceiveOne("work/$DeadLetterQueue");
        Assert.AreEqual(3, dead.ApplicationProperties["attempt"]);
        Assert.IsFalse(dead.ApplicationProperties.ContainsKey("DeadLetterErrorDescription"));
    }

    [TestMethod]
    public async Task Time_to_live_does_not_apply_inside_the_dead_letter_queue()
    {
        await Bus.SendAsync("work", Message(configure: m => m.TimeToLive = TimeSpan.FromMinutes(1)));
        await Bus.CreateReceiver("work").DeadLetterAsync((await ReceiveOne("work")).LockToken, "X");

        Clock.Advance(TimeSpan.FromHours(2));

        Assert.AreEqual(1, (await ReceiveAll("work/$DeadLetterQueue")).Count);
    }

    [TestClass] public sealed class InMemory : DeadLetter_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : DeadLetter_Specs { protected override bool Durable => true; }
}
