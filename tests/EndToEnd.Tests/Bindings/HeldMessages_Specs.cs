using LocalLogicApp.Bindings.ServiceBus;
using ServiceBus.Local;
using ServiceBus.Local.Entities;

namespace EndToEnd.Tests.Bindings;

/// <summary>The Service Bus binding's record of which receiver holds each message a run may settle.</summary>
[TestClass]
public sealed class HeldMessages_Specs
{
    private static LocalServiceBus NewBus()
    {
        var topology = new Topology();
        topology.AddQueue("orders");
        return LocalServiceBus.Create(topology);
    }

    [TestMethod]
    public async Task Forgetting_a_receiver_forgets_its_messages_and_keeps_the_others()
    {
        using var bus = NewBus();
        await using var first = bus.CreateReceiver("orders");
        await using var second = bus.CreateReceiver("orders");
        var held = new HeldMessages();
        held.Add("a-1", first, "orders", "session-a");
        held.Add("A-2", first, "orders", "session-a");
        held.Add("b-1", second, "orders", "session-b");

        held.ForgetReceiver(first);

        Assert.IsFalse(held.TryGet("a-1", out _));
        Assert.IsFalse(held.TryGet("a-2", out _), "lock tokens compare without case");
        Assert.IsTrue(held.TryGet("b-1", out var kept));
        Assert.AreSame(second, kept.Receiver);
        Assert.AreEqual(1, held.Count);
        Assert.IsNull(held.FindSession("orders", "session-a"));
        Assert.AreSame(second, held.FindSession("ORDERS", "session-b")!.Receiver);
    }

    [TestMethod]
    public async Task A_lock_token_held_again_by_another_receiver_belongs_to_that_receiver_only()
    {
        using var bus = NewBus();
        await using var first = bus.CreateReceiver("orders");
        await using var second = bus.CreateReceiver("orders");
        var held = new HeldMessages();
        held.Add("t-1", first, "orders", null);
        held.Add("t-1", second, "orders", null);

        held.ForgetReceiver(first);

        Assert.IsTrue(held.TryGet("t-1", out var kept));
        Assert.AreSame(second, kept.Receiver);
        held.ForgetReceiver(second);
        Assert.AreEqual(0, held.Count);
    }

    [TestMethod]
    public async Task A_settled_message_is_forgotten_and_the_receiver_keeps_its_other_messages()
    {
        using var bus = NewBus();
        await using var receiver = bus.CreateReceiver("orders");
        var held = new HeldMessages();
        held.Add("t-1", receiver, "orders", null);
        held.Add("t-2", receiver, "orders", null);

        held.Forget("T-1");

        Assert.IsFalse(held.TryGet("t-1", out _));
        Assert.IsTrue(held.TryGet("t-2", out _));
        Assert.AreEqual(1, held.Count);
    }
}
