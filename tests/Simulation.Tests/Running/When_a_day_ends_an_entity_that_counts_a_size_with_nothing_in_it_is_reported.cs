using System.Text;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>
/// The end-of-day check of the broker: once every message is gone, every queue and topic must count nothing toward its
/// size quota. A size left over (session state, or a departure the broker's accounting missed) would fill the topic of a
/// long `run` with nothing in it, and the intake would answer 503.
/// </summary>
[TestClass]
public sealed class When_a_day_ends_an_entity_that_counts_a_size_with_nothing_in_it_is_reported
{
    private static Topology Topology()
    {
        var topology = new Topology();
        topology.AddQueue("sessions", q => q.RequiresSession = true);
        topology.AddTopic("orders").AddSubscription("lake");
        return topology;
    }

    [TestMethod]
    public async Task A_broker_emptied_by_its_receivers_leaves_nothing_to_report()
    {
        using var bus = LocalServiceBus.Create(Topology());
        await bus.SendAsync("orders", new ServiceBusMessage(Encoding.UTF8.GetBytes("{}")) { MessageId = "m-1" });
        var receiver = bus.CreateReceiver("orders/Subscriptions/lake");
        foreach (var message in await receiver.ReceiveAsync(10, TimeSpan.Zero)) await receiver.CompleteAsync(message.LockToken);

        CollectionAssert.AreEqual(Array.Empty<string>(), DaySimulation.BrokerLeftovers(bus).ToArray());
    }

    [TestMethod]
    public async Task A_session_state_left_with_no_message_is_reported_with_its_size()
    {
        using var bus = LocalServiceBus.Create(Topology());
        await bus.SendAsync("sessions", new ServiceBusMessage(Encoding.UTF8.GetBytes("{}")) { MessageId = "m-1", SessionId = "order-1" });
        await using (var session = await bus.AcceptNextSessionAsync("sessions"))
        {
            var message = (await session.ReceiveAsync(1, TimeSpan.Zero)).Single();
            await session.CompleteAsync(message.LockToken);
            await session.SetSessionStateAsync(Encoding.UTF8.GetBytes("0123456789"));
        }

        var leftovers = DaySimulation.BrokerLeftovers(bus).ToArray();

        Assert.AreEqual(1, leftovers.Length, string.Join("\n", leftovers));
        StringAssert.StartsWith(leftovers[0], "sessions: holds no message but counts 10 bytes toward its size quota");
    }
}
