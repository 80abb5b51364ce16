using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Filters;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Filters;

/// <summary>A subscription's rules edited at run time, as the rule manager (and the AMQP add-rule / remove-rule /
/// enumerate-rules operations) does it.</summary>
public abstract class RuleManagement_Specs : BrokerSpec
{
    private const string Subscription = "orders/Subscriptions/audit";

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddTopic("orders").AddSubscription("audit");
        return topology;
    }

    [TestMethod]
    public void A_subscription_without_rules_lists_the_Default_rule()
    {
        var rule = Bus.GetRules(Subscription).Single();

        Assert.AreEqual("$Default", rule.Name);
        Assert.IsInstanceOfType<TrueRuleFilter>(rule.Filter);
    }

    [TestMethod]
    public async Task Replacing_Default_with_a_sql_rule_admits_only_matching_messages()
    {
        Bus.AddRule(Subscription, new RuleDefinition("blue", new SqlRuleFilter("color = 'blue'")));
        Bus.RemoveRule(Subscription, "$Default");

        await Bus.SendAsync("orders", Message("red", "m-red", configure: m => m.ApplicationProperties["color"] = "red"));
        await Bus.SendAsync("orders", Message("blue", "m-blue", configure: m => m.ApplicationProperties["color"] = "blue"));

        CollectionAssert.AreEqual(new[] { "m-blue" }, (await ReceiveAll(Subscription)).Select(m => m.MessageId).ToArray());
        CollectionAssert.AreEqual(new[] { "blue" }, Bus.GetRules(Subscription).Select(r => r.Name).ToArray());
    }

    [TestMethod]
    public async Task Removing_every_rule_leaves_a_subscription_that_receives_nothing()
    {
        Bus.RemoveRule(Subscription, "$Default");

        await Bus.SendAsync("orders", Message("x", "m-1"));

        Assert.IsEmpty(Bus.GetRules(Subscription));
        Assert.IsEmpty(await ReceiveAll(Subscription));
    }

    [TestMethod]
    public void Adding_a_rule_name_twice_fails_with_MessagingEntityAlreadyExists()
    {
        Bus.AddRule(Subscription, new RuleDefinition("twice", TrueRuleFilter.Instance));

        var error = Assert.ThrowsExactly<ServiceBusException>(() => Bus.AddRule(Subscription, new RuleDefinition("TWICE", FalseRuleFilter.Instance)));

        Assert.AreEqual(ServiceBusFailureReason.MessagingEntityAlreadyExists, error.Reason);
    }

    [TestMethod]
    public void Removing_an_unknown_rule_fails_with_MessagingEntityNotFound()
    {
        var error = Assert.ThrowsExactly<ServiceBusException>(() => Bus.RemoveRule(Subscription, "nope"));

        Assert.AreEqual(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
    }

    [TestMethod]
    public void Rules_belong_to_subscriptions_only()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => Bus.GetRules("orders/Subscriptions/audit/$DeadLetterQueue"));
    }

    [TestClass] public sealed class InMemory : RuleManagement_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : RuleManagement_Specs { protected override bool Durable => true; }
}
