using ServiceBus.Local.Entities;
using ServiceBus.Local.Filters;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Filters;

public abstract class CorrelationFilter_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        var topic = topology.AddTopic("orders");
        var highRed = new CorrelationRuleFilter { Subject = "red", CorrelationId = "high" };
        topic.AddSubscription("high-priority-red", null, new RuleDefinition("red-high", highRed));
        var created = new CorrelationRuleFilter { ContentType = "application/json" };
        created.ApplicationProperties["eventType"] = "OrderCreated";
        created.ApplicationProperties["version"] = 2L;
        topic.AddSubscription("created", null, new RuleDefinition("created-v2", created));
        topic.AddSubscription("everything");
        return topology;
    }

    private Task Send(string subject, string correlationId, string eventType = "OrderCreated", object? version = null) =>
        Bus.SendAsync("orders", Message(configure: m =>
        {
            m.Subject = subject;
            m.CorrelationId = correlationId;
            m.ApplicationProperties["eventType"] = eventType;
            m.ApplicationProperties["version"] = version ?? 2;
        }));

    [TestMethod]
    public async Task All_set_system_fields_must_match_exactly()
    {
        await Send("red", "high");
        await Send("red", "low");
        await Send("Red", "high");

        Assert.AreEqual(1, (await ReceiveAll("orders/Subscriptions/high-priority-red")).Count);
    }

    [TestMethod]
    public async Task User_properties_must_match_with_numeric_promotion_and_case_sensitive_strings()
    {
        await Send("x", "y");
        await Send("x", "y", "ordercreated");
        await Send("x", "y", version: 3);
        await Send("x", "y", version: 2.0);

        Assert.AreEqual(2, (await ReceiveAll("orders/Subscriptions/created")).Count);
    }

    [TestMethod]
    public async Task A_subscription_without_rules_gets_every_message_through_the_default_rule()
    {
        await Send("a", "b");
        await Send("c", "d");

        Assert.AreEqual(2, (await ReceiveAll("orders/Subscriptions/everything")).Count);
    }

    [TestClass] public sealed class InMemory : CorrelationFilter_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : CorrelationFilter_Specs { protected override bool Durable => true; }
}
