using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Forwarding;

public abstract class Forwarding_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        foreach (var name in new[] { "deadletters-sap-fulfillment", "hop5" }) topology.AddQueue(name);
        topology.AddQueue("hop4", q => q.ForwardTo = "hop5");
        topology.AddQueue("hop3", q => q.ForwardTo = "hop4");
        topology.AddQueue("hop2", q => q.ForwardTo = "hop3");
        topology.AddQueue("hop1", q => q.ForwardTo = "hop2");
        topology.AddQueue("hop0", q => q.ForwardTo = "hop1");
        topology.AddQueue("inbox", q => q.ForwardTo = "orders");
        var topic = topology.AddTopic("orders");
        topic.AddSubscription("sap-fulfillment", s => { s.ForwardDeadLetteredMessagesTo = "deadletters-sap-fulfillment"; s.MaxDeliveryCount = 1; });
        return topology;
    }

    [TestMethod]
    public async Task A_queue_with_ForwardTo_passes_messages_on_to_a_topic_with_their_original_sequence_number()
    {
        await Bus.SendAsync("inbox", Message(messageId: "m-1"));

        Assert.AreEqual(0L, Bus.GetMessageCounts("inbox").Active);
        var arrived = (await Bus.PeekAsync("orders/Subscriptions/sap-fulfillment")).Single();
        Assert.AreEqual("m-1", arrived.MessageId);
        Assert.AreEqual(1L, arrived.EnqueuedSequenceNumber);
    }

    [TestMethod]
    public async Task Dead_letters_are_forwarded_with_their_reason_and_a_DeadLetterSource()
    {
        await Bus.SendAsync("orders", Message(messageId: "m-1"));
        var received = await ReceiveOne("orders/Subscriptions/sap-fulfillment");
        await Bus.CreateReceiver("orders/Subscriptions/sap-fulfillment").DeadLetterAsync(received.LockToken, "DownstreamRejected", "SAP said no");

        Assert.AreEqual(0L, Bus.GetMessageCounts("orders/Subscriptions/sap-fulfillment").DeadLetter);
        var forwarded = await ReceiveOne("deadletters-sap-fulfillment");
        Assert.AreEqual("m-1", forwarded.MessageId);
        Assert.AreEqual("orders/Subscriptions/sap-fulfillment", forwarded.DeadLetterSource);
        Assert.AreEqual("DownstreamRejected", forwarded.DeadLetterReason);
        Assert.AreEqual("SAP said no", forwarded.DeadLetterErrorDescription);
    }

    [TestMethod]
    public async Task System_dead_letters_are_forwarded_too()
    {
        await Bus.SendAsync("orders", Message(messageId: "poison"));
        var received = await ReceiveOne("orders/Subscriptions/sap-fulfillment");
        await Bus.CreateReceiver("orders/Subscriptions/sap-fulfillment").AbandonAsync(received.LockToken);

        var forwarded = await ReceiveOne("deadletters-sap-fulfillment");
        Assert.AreEqual("MaxDeliveryCountExceeded", forwarded.DeadLetterReason);
        Assert.AreEqual(1, forwarded.DeliveryCount);
    }

    [TestMethod]
    public async Task Four_hops_are_allowed_and_a_fifth_dead_letters_with_MaxTransferHopCountExceeded()
    {
        await Bus.SendAsync("hop1", Message(messageId: "four-hops"));
        await Bus.SendAsync("hop0", Message(messageId: "five-hops"));

        Assert.AreEqual("four-hops", (await ReceiveOne("hop5")).MessageId);
        Assert.AreEqual(0, (await ReceiveAll("hop5")).Count);
        var dead = await ReceiveOne("hop4/$DeadLetterQueue");
        Assert.AreEqual("five-hops", dead.MessageId);
        Assert.AreEqual("MaxTransferHopCountExceeded", dead.DeadLetterReason);
    }

    [TestClass] public sealed class InMemory : Forwarding_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : Forwarding_Specs { protected override bool Durable => true; }
}
