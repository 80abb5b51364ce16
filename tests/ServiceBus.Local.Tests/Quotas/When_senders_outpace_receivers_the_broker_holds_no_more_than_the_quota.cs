using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;

namespace ServiceBus.Local.Tests.Quotas;

/// <summary>Issue 8, "memory stays flat whatever the number of orders": with nobody receiving, a topic takes sends
/// until it holds its quota and refuses every one after, so what the broker holds (messages, payloads, due-time
/// entries) stops growing there however many more are sent, as Azure bounds a backlog by the entity's quota.</summary>
public abstract class When_senders_outpace_receivers_the_broker_holds_no_more_than_the_quota : QuotaSpec
{
    protected override int PayloadsInMemoryPerEntity => 10;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        var orders = topology.AddTopic("orders", t => { t.MaxSizeInBytes = 100_000; t.DefaultMessageTimeToLive = TimeSpan.FromHours(1); });
        orders.AddSubscription("sap");
        orders.AddSubscription("lake");
        return topology;
    }

    [TestMethod]
    public async Task A_thousand_sends_past_the_quota_leave_the_broker_as_it_was_when_the_topic_filled()
    {
        var sent = 0;
        while (true)
        {
            try
            {
                await Bus.SendAsync("orders", OfSize(1_000, sent % 100));
                sent++;
            }
            catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.QuotaExceeded)
            {
                break;
            }
        }
        var whenFull = Bus.GetMemoryFigures();

        var refused = 0;
        for (var i = 0; i < 1_000; i++)
        {
            try { await Bus.SendAsync("orders", OfSize(1_000, i % 100)); }
            catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.QuotaExceeded) { refused++; }
        }

        Assert.AreEqual(50, sent, "100,000 bytes hold 50 messages of 1,000 bytes in each of 2 subscriptions");
        Assert.AreEqual(1_000, refused);
        Assert.AreEqual(whenFull, Bus.GetMemoryFigures());
        Assert.AreEqual(100L, whenFull.MessagesInMemory);
        Assert.AreEqual(20L, whenFull.PayloadsInMemory, "a window of 10 payloads per subscription");
    }

    [TestClass] public sealed class InMemory : When_senders_outpace_receivers_the_broker_holds_no_more_than_the_quota { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_senders_outpace_receivers_the_broker_holds_no_more_than_the_quota { protected override bool Durable => true; }
}
