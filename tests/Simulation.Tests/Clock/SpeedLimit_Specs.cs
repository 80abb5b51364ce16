using ServiceBus.Local.Entities;
using Simulation.Clock;

namespace Simulation.Tests.Clock;

/// <summary>A day may not run so fast that a message's time to live lasts less than 10 s of wall time.</summary>
[TestClass]
public sealed class SpeedLimit_Specs
{
    [TestMethod]
    public void The_shortest_time_to_live_of_any_queue_topic_or_subscription_sets_the_fastest_speed()
    {
        var topology = new Topology();
        topology.AddQueue("alerts", q => q.DefaultMessageTimeToLive = TimeSpan.FromHours(1));
        topology.AddTopic("orders", t => t.DefaultMessageTimeToLive = TimeSpan.FromHours(2))
            .AddSubscription("sms", s => s.DefaultMessageTimeToLive = TimeSpan.FromMinutes(30));

        var limit = SpeedLimit.For(topology);

        Assert.IsNotNull(limit);
        Assert.AreEqual(180.0, limit.Value.Fastest, 1e-9, "30 minutes lasting 10 s of wall time");
        Assert.AreEqual("orders/Subscriptions/sms", limit.Value.Entity);
        Assert.AreEqual(TimeSpan.FromMinutes(30), limit.Value.TimeToLive);
    }

    [TestMethod]
    public void A_topology_whose_messages_never_expire_sets_no_limit()
    {
        var topology = new Topology();
        topology.AddQueue("work");

        Assert.IsNull(SpeedLimit.For(topology));
    }

    [TestMethod]
    public void The_projects_topology_allows_the_speeds_its_docs_use_and_refuses_1000()
    {
        var limit = SpeedLimit.For(TopologyLoader.LoadFile(Path.Combine(RepositoryRoot.FullPath, "deploy/servicebus/Config.json")))!.Value;

        Assert.AreEqual(360.0, limit.Fastest, 1e-9, "PT1H, the emulator's maximum, lasting 10 s");
        Assert.IsTrue(limit.Fastest >= 240, "the faults day's throughput is measured at --speed 240");
        Assert.IsTrue(limit.Fastest < 1000, "a day at 1,000 times real speed hung after a host restart");
    }
}
