using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using ServiceBus.Amqp.Tests.Infrastructure;

namespace ServiceBus.Amqp.Tests.Contract;

public abstract class When_rules_are_added_and_removed_the_subscription_receives_accordingly : ContractSpec
{
    [TestMethod]
    public async Task Replacing_the_default_rule_with_a_sql_rule_filters_what_arrives()
    {
        await using var rules = Client.CreateRuleManager(Topic, RuleEditing);
        var initial = new List<RuleProperties>();
        await foreach (var rule in rules.GetRulesAsync()) initial.Add(rule);
        Assert.AreEqual("$Default", initial.Single().Name);
        Assert.IsInstanceOfType<TrueRuleFilter>(initial.Single().Filter);

        await rules.CreateRuleAsync("blue-only", new SqlRuleFilter("color = 'blue'"));
        await rules.DeleteRuleAsync("$Default");

        var now = new List<RuleProperties>();
        await foreach (var rule in rules.GetRulesAsync()) now.Add(rule);
        Assert.AreEqual("blue-only", now.Single().Name);
        Assert.AreEqual("color = 'blue'", ((SqlRuleFilter)now.Single().Filter).SqlExpression);

        await using var sender = Client.CreateSender(Topic);
        var red = Message("red");
        red.ApplicationProperties["color"] = "red";
        var blue = Message("blue");
        blue.ApplicationProperties["color"] = "blue";
        await sender.SendMessagesAsync([red, blue]);
        await using var receiver = Client.CreateReceiver(Topic, RuleEditing);
        Assert.AreEqual("blue", (await ReceiveOneAsync(receiver)).Body.ToString());
        await AssertEmptyAsync(receiver);

        await rules.CreateRuleAsync("$Default", new TrueRuleFilter());
        await rules.DeleteRuleAsync("blue-only");
    }

    [TestMethod]
    public async Task Adding_a_rule_twice_fails_with_MessagingEntityAlreadyExists_and_removing_an_unknown_rule_with_MessagingEntityNotFound()
    {
        await using var rules = Client.CreateRuleManager(Topic, RuleEditing);
        await rules.CreateRuleAsync("twice", new CorrelationRuleFilter { Subject = "x" });

        var duplicate = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => rules.CreateRuleAsync("twice", new TrueRuleFilter()));
        var unknown = await Assert.ThrowsExactlyAsync<ServiceBusException>(() => rules.DeleteRuleAsync("no-such-rule"));

        Assert.AreEqual(ServiceBusFailureReason.MessagingEntityAlreadyExists, duplicate.Reason);
        Assert.AreEqual(ServiceBusFailureReason.MessagingEntityNotFound, unknown.Reason);
        await rules.DeleteRuleAsync("twice");
    }

    [TestClass] public sealed class Local : When_rules_are_added_and_removed_the_subscription_receives_accordingly { protected override bool AgainstAzure => false; }
    [TestClass] public sealed class InAzure : When_rules_are_added_and_removed_the_subscription_receives_accordingly { protected override bool AgainstAzure => true; }
}
