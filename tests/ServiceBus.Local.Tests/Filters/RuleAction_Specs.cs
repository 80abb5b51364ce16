using ServiceBus.Local.Entities;
using ServiceBus.Local.Filters;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Filters;

public abstract class RuleAction_Specs : BrokerSpec
{
    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        var topic = topology.AddTopic("orders");
        topic.AddSubscription("five-rules", null,
            new RuleDefinition("plain-1", new SqlRuleFilter("quantity > 0")),
            new RuleDefinition("plain-2", new SqlRuleFilter("color = 'red'")),
            new RuleDefinition("plain-3", TrueRuleFilter.Instance),
            new RuleDefinition("halve", new SqlRuleFilter("quantity > 1"), new SqlRuleAction("SET quantity = quantity / 2; REMOVE priority; SET sys.CorrelationId = 'low'")),
            new RuleDefinition("tag", new SqlRuleFilter("color = 'red'"), new SqlRuleAction("SET user.tagged = TRUE; SET sys.Label = sys.Label + '-copy'")));
        topic.AddSubscription("untouched");
        topic.AddSubscription("broken", null,
            new RuleDefinition("bad", new SqlRuleFilter("sys.Nonexistent = 1")));
        topic.AddSubscription("broken-quiet", s => s.DeadLetteringOnFilterEvaluationExceptions = false,
            new RuleDefinition("bad", new SqlRuleFilter("color > 1")));
        return topology;
    }

    private Task SendRedOrder() => Bus.SendAsync("orders", Message(messageId: "o-1", configure: m =>
    {
        m.Subject = "order";
        m.CorrelationId = "high";
        m.ApplicationProperties["color"] = "red";
        m.ApplicationProperties["quantity"] = 10;
        m.ApplicationProperties["priority"] = "high";
    }));

    [TestMethod]
    public async Task Matching_rules_without_actions_yield_one_copy_and_each_matching_rule_with_an_action_its_own()
    {
        await SendRedOrder();

        var copies = await ReceiveAll("orders/Subscriptions/five-rules");

        Assert.AreEqual(3, copies.Count);
        CollectionAssert.AreEquivalent(new object?[] { null, "halve", "tag" },
            copies.Select(c => c.ApplicationProperties.TryGetValue("RuleName", out var r) ? r : null).ToArray());
    }

    [TestMethod]
    public async Task Set_and_remove_change_only_that_copy()
    {
        await SendRedOrder();
        var copies = await ReceiveAll("orders/Subscriptions/five-rules");

        var halved = copies.Single(c => Equals(c.ApplicationProperties.GetValueOrDefault("RuleName"), "halve"));
        Assert.AreEqual(5L, halved.ApplicationProperties["quantity"]);
        Assert.IsFalse(halved.ApplicationProperties.ContainsKey("priority"));
        Assert.AreEqual("low", halved.CorrelationId);

        var tagged = copies.Single(c => Equals(c.ApplicationProperties.GetValueOrDefault("RuleName"), "tag"));
        Assert.AreEqual(true, tagged.ApplicationProperties["tagged"]);
        Assert.AreEqual("order-copy", tagged.Subject);
        Assert.AreEqual(10, tagged.ApplicationProperties["quantity"]);

        var plain = copies.Single(c => !c.ApplicationProperties.ContainsKey("RuleName"));
        Assert.AreEqual("high", plain.ApplicationProperties["priority"]);
        var other = (await ReceiveAll("orders/Subscriptions/untouched")).Single();
        Assert.AreEqual("high", other.CorrelationId);
        Assert.AreEqual(10, other.ApplicationProperties["quantity"]);
    }

    [TestMethod]
    public async Task A_rule_that_fails_to_evaluate_dead_letters_the_message_with_the_exception_name()
    {
        await SendRedOrder();

        Assert.AreEqual(0, (await ReceiveAll("orders/Subscriptions/broken")).Count);
        var dead = await ReceiveOne("orders/Subscriptions/broken/$DeadLetterQueue");
        Assert.AreEqual("FilterException", dead.DeadLetterReason);
        StringAssert.Contains(dead.DeadLetterErrorDescription, "sys.Nonexistent");
    }

    [TestMethod]
    public async Task A_failing_rule_drops_the_message_when_filter_evaluation_dead_lettering_is_off()
    {
        await SendRedOrder();

        Assert.AreEqual(0L, Bus.GetMessageCounts("orders/Subscriptions/broken-quiet").Active);
        Assert.AreEqual(0L, Bus.GetMessageCounts("orders/Subscriptions/broken-quiet").DeadLetter);
    }

    [TestMethod]
    public void Action_parse_errors_report_the_column()
    {
        var ex = Assert.ThrowsExactly<FilterException>(() => new SqlRuleAction("SET quantity 5"));
        StringAssert.Contains(ex.Message, "column 14.");
        Assert.ThrowsExactly<FilterException>(() => new SqlRuleAction("DROP x"));
    }

    [TestClass] public sealed class InMemory : RuleAction_Specs { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : RuleAction_Specs { protected override bool Durable => true; }
}
