using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Sessions;

public abstract class SessionOrdering_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("orders-by-customer", q => q.RequiresSession = true);
        topology.AddTopic("orders").AddSubscription("per-order", s => s.RequiresSession = true);
        return topology;
    }

    [TestMethod]
    public async Task Each_session_delivers_its_own_messages_in_send_order()
    {
        await Bus.SendAsync("orders-by-customer", [
            Message("a1", sessionId: "A"), Message("b1", sessionId: "B"), Message("a2", sessionId: "A"),
            Message("b2", sessionId: "B"), Message("a3", sessionId: "A"),
        ]);

        await using var a = await Bus.AcceptSessionAsync("orders-by-customer", "A");
        await using var b = await Bus.AcceptSessionAsync("orders-by-customer", "B");

        CollectionAssert.AreEqual(new[] { "a1", "a2", "a3" }, (await a.ReceiveAsync(10, TimeSpan.Zero)).Select(Text).ToArray());
        CollectionAssert.AreEqual(new[] { "b1", "b2" }, (await b.ReceiveAsync(10, TimeSpan.Zero)).Select(Text).ToArray());
    }

    [TestMethod]
    public async Task Accept_next_session_takes_the_session_with_the_oldest_message()
    {
        await Bus.SendAsync("orders-by-customer", [Message("b1", sessionId: "B"), Message("a1", sessionId: "A")]);

        await using var first = await Bus.AcceptNextSessionAsync("orders-by-customer", maxWaitTime: TimeSpan.Zero);
        await using var second = await Bus.AcceptNextSessionAsync("orders-by-customer", maxWaitTime: TimeSpan.Zero);

        Assert.AreEqual("B", first.SessionId);
        Assert.AreEqual("A", second.SessionId);
    }

    [TestMethod]
    public async Task An_abandoned_session_message_is_delivered_again_before_the_next_one()
    {
        await Bus.SendAsync("orders-by-customer", [Message("1", sessionId: "A"), Message("2", sessionId: "A")]);
        await using var session = await Bus.AcceptSessionAsync("orders-by-customer", "A");
        var first = await session.ReceiveMessageAsync(TimeSpan.Zero);

        await session.AbandonAsync(first!.LockToken);

        Assert.AreEqual("1", Text((await session.ReceiveMessageAsync(TimeSpan.Zero))!));
    }

    [TestMethod]
    public async Task A_message_without_SessionId_is_rejected_by_a_session_queue()
    {
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => Bus.SendAsync("orders-by-customer", Message()));
    }

    [TestMethod]
    public async Task A_topic_message_without_SessionId_is_dead_lettered_by_a_session_subscription()
    {
        await Bus.SendAsync("orders", Message(messageId: "no-session"));

        var dead = await ReceiveOne("orders/Subscriptions/per-order/$DeadLetterQueue");
        Assert.AreEqual("no-session", dead.MessageId);
        Assert.AreEqual("Session ID is null.", dead.DeadLetterReason);
    }

    [TestMethod]
    public void A_plain_receiver_cannot_be_created_on_a_session_entity()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => Bus.CreateReceiver("orders-by-customer"));
    }

    [TestMethod]
    public async Task Accept_next_session_with_nothing_available_times_out_with_ServiceTimeout()
    {
        var ex = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => Bus.AcceptNextSessionAsync("orders-by-customer", maxWaitTime: TimeSpan.Zero));

        Assert.AreEqual(ServiceBusFailureReason.ServiceTimeout, ex.Reason);
    }

    [TestClass] public sealed class InMemory : SessionOrdering_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : SessionOrdering_Specs { protected override bool Durable => true; }
}
