using ServiceBus.Local.Entities;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Settlement;

public abstract class MaxDeliveryCount_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => { q.MaxDeliveryCount = 3; q.LockDuration = TimeSpan.FromSeconds(10); });
        return topology;
    }

    [TestMethod]
    public async Task After_max_delivery_count_abandons_the_message_is_dead_lettered_with_MaxDeliveryCountExceeded()
    {
        await Bus.SendAsync("work", Message(messageId: "poison"));
        var receiver = Bus.CreateReceiver("work");
        var counts = new List<int>();

        for (var i = 0; i < 3; i++)
        {
            var m = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
            counts.Add(m!.DeliveryCount);
            await receiver.AbandonAsync(m.LockToken);
        }

        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, counts);
        Assert.AreEqual(0, (await ReceiveAll("work")).Count);
        var dead = await ReceiveOne("work/$DeadLetterQueue");
        Assert.AreEqual("poison", dead.MessageId);
        Assert.AreEqual("MaxDeliveryCountExceeded", dead.DeadLetterReason);
        Assert.AreEqual("Message could not be consumed after 3 delivery attempts.", dead.DeadLetterErrorDescription);
    }

    [TestMethod]
    public async Task Lock_expiries_count_as_delivery_attempts()
    {
        await Bus.SendAsync("work", Message());
        for (var i = 0; i < 3; i++)
        {
            await ReceiveOne("work");
            Clock.Advance(TimeSpan.FromSeconds(11));
        }

        Assert.AreEqual(0L, Bus.GetMessageCounts("work").Active);
        Assert.AreEqual("MaxDeliveryCountExceeded", (await ReceiveOne("work/$DeadLetterQueue")).DeadLetterReason);
    }

    [TestMethod]
    public async Task Abandon_can_modify_application_properties()
    {
        await Bus.SendAsync("work", Message());
        var receiver = Bus.CreateReceiver("work");
        var first = await receiver.ReceiveMessageAsync(TimeSpan.Zero);

        await receiver.AbandonAsync(first!.LockToken, new Dictionary<string, object?> { ["lastError"] = "timeout" });

        var second = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        Assert.AreEqual("timeout", second!.ApplicationProperties["lastError"]);
        Assert.AreEqual(2, second.DeliveryCount);
    }

    [TestMethod]
    public async Task An_abandoned_message_returns_to_the_front_of_the_queue()
    {
        await Bus.SendAsync("work", [Message(messageId: "a"), Message(messageId: "b")]);
        var receiver = Bus.CreateReceiver("work");
        var a = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        await receiver.AbandonAsync(a!.LockToken);

        Assert.AreEqual("a", (await receiver.ReceiveMessageAsync(TimeSpan.Zero))!.MessageId);
    }

    [TestClass] public sealed class InMemory : MaxDeliveryCount_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : MaxDeliveryCount_Specs { protected override bool Durable => true; }
}
