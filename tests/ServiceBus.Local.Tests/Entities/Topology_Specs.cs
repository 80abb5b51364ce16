using ServiceBus.Local.Entities;
using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Tests.Entities;

[TestClass]
public sealed class Topology_Specs
{
    // The emulator's shipped sample (Azure/azure-service-bus-emulator-installer, ServiceBus-Emulator/Config/Config.json).
    private const string EmulatorSample = """
        {"UserConfig":{
          "Namespaces":[{"Name":"sbemulatorns",
             "Queues":[{"Name":"queue.1","Properties":{
                "DeadLetteringOnMessageExpiration":false,"DefaultMessageTimeToLive":"PT1H",
                "DuplicateDetectionHistoryTimeWindow":"PT20S","ForwardDeadLetteredMessagesTo":"","ForwardTo":"",
                "LockDuration":"PT1M","MaxDeliveryCount":3,"RequiresDuplicateDetection":false,"RequiresSession":false}}],
             "Topics":[{"Name":"topic.1","Properties":{"DefaultMessageTimeToLive":"PT1H",
                "DuplicateDetectionHistoryTimeWindow":"PT20S","RequiresDuplicateDetection":false},
                "Subscriptions":[{"Name":"subscription.1","Properties":{"DeadLetteringOnMessageExpiration":false,
                    "DefaultMessageTimeToLive":"PT1H","LockDuration":"PT1M","MaxDeliveryCount":3,
                    "ForwardDeadLetteredMessagesTo":"","ForwardTo":"","RequiresSession":false},
                  "Rules":[{"Name":"app-prop-filter-1","Properties":{"FilterType":"Correlation",
                       "CorrelationFilter":{"ContentType":"application/json"}}},
                           {"Name":"sql-filter-1","Properties":{"FilterType":"Sql",
                       "SqlFilter":{"SqlExpression":"sys.MessageId = '123456' AND userProp1 = 'value1'"},
                       "Action":{"SqlExpression":"SET sys.To = 'Entity'"}}}]}]}]}],
          "Logging":{"Type":"File"}}}
        """;

    private static string Config(string queues, string topics = "[]") =>
        "{\"UserConfig\":{\"Namespaces\":[{\"Name\":\"sbemulatorns\",\"Queues\":" + queues + ",\"Topics\":" + topics + "}]}}";

    private static IReadOnlyList<TopologyError> ErrorsOf(string json) =>
        Assert.ThrowsExactly<TopologyException>(() => Topology.Parse(json)).Errors;

    [TestMethod]
    public void The_emulator_sample_loads_with_its_properties_rules_and_actions()
    {
        var topology = Topology.Parse(EmulatorSample);

        var queue = topology.Queues.Single();
        Assert.AreEqual("queue.1", queue.Name);
        Assert.AreEqual(3, queue.Properties.MaxDeliveryCount);
        Assert.AreEqual(TimeSpan.FromHours(1), queue.Properties.DefaultMessageTimeToLive);
        Assert.AreEqual(TimeSpan.FromSeconds(20), queue.Properties.DuplicateDetectionHistoryTimeWindow);
        Assert.IsNull(queue.Properties.ForwardTo);
        var subscription = topology.Topics.Single().Subscriptions.Single();
        Assert.AreEqual(2, subscription.Rules.Count);
        Assert.AreEqual("application/json", ((CorrelationRuleFilter)subscription.Rules[0].Filter).ContentType);
        Assert.AreEqual("SET sys.To = 'Entity'", subscription.Rules[1].Action!.SqlExpression);
        Assert.AreEqual(0, topology.ValidateAgainstEmulatorLimits().Count);
    }

    [TestMethod]
    public void Unset_properties_take_Azure_defaults_and_no_rules_means_the_default_rule()
    {
        var topology = Topology.Parse(Config("[{\"Name\":\"q\"}]", "[{\"Name\":\"t\",\"Subscriptions\":[{\"Name\":\"s\"}]}]"));

        Assert.AreEqual(10, topology.Queues[0].Properties.MaxDeliveryCount);
        Assert.AreEqual(TimeSpan.FromMinutes(1), topology.Queues[0].Properties.LockDuration);
        Assert.AreEqual(TimeSpan.MaxValue, topology.Queues[0].Properties.DefaultMessageTimeToLive);
        var rule = topology.Topics[0].Subscriptions[0].EffectiveRules.Single();
        Assert.AreEqual("$Default", rule.Name);
        Assert.IsInstanceOfType<TrueRuleFilter>(rule.Filter);
    }

    [TestMethod]
    public void Every_problem_is_reported_with_its_path()
    {
        var errors = ErrorsOf(Config(
            """[{"Name":"a","Properties":{"LockDuration":"1 minute","ForwardTo":"nowhere"}},{"Name":"A"},{"Name":"-bad-"},{"Name":"b","Properties":{"MaxDeliveryCount":0,"Colour":"red"}}]""",
            """[{"Name":"t","Subscriptions":[{"Name":"s","Properties":{"ForwardDeadLetteredMessagesTo":"ghost"},"Rules":[{"Name":"r","Properties":{"FilterType":"Sql","SqlFilter":{"SqlExpression":"color = "}}},{"Name":"r","Properties":{"FilterType":"Sql","SqlFilter":{"SqlExpression":"1=1"}}}]},{"Name":"S"}]}]"""));

        string Find(string path) => errors.Single(e => e.Path == "UserConfig.Namespaces[0]." + path).Message;
        StringAssert.Contains(Find("Queues[0].Properties.LockDuration"), "not an ISO 8601 duration");
        StringAssert.Contains(Find("Queues[0].Properties.ForwardTo"), "'nowhere' is not a queue or topic");
        StringAssert.Contains(Find("Queues[1].Name"), "duplicate entity name 'A'");
        StringAssert.Contains(Find("Queues[2].Name"), "not a valid entity name");
        StringAssert.Contains(Find("Queues[3].Properties.MaxDeliveryCount"), "below the minimum");
        StringAssert.Contains(Find("Queues[3].Properties.Colour"), "unknown property");
        StringAssert.Contains(Find("Topics[0].Subscriptions[0].Properties.ForwardDeadLetteredMessagesTo"), "'ghost'");
        StringAssert.Contains(Find("Topics[0].Subscriptions[0].Rules[0].Properties.SqlFilter.SqlExpression"), "column 9");
        StringAssert.Contains(Find("Topics[0].Subscriptions[0].Rules[1].Name"), "duplicate rule name");
        StringAssert.Contains(Find("Topics[0].Subscriptions[1].Name"), "duplicate subscription name");
    }

    [TestMethod]
    [DataRow("not json")]
    [DataRow("{}")]
    [DataRow("{\"UserConfig\":{\"Namespaces\":[]}}")]
    public void A_file_that_is_not_the_config_shape_is_rejected_clearly(string json) =>
        Assert.IsTrue(ErrorsOf(json).Count > 0);

    [TestMethod]
    public void Session_entities_cannot_auto_forward_and_entities_cannot_forward_to_themselves()
    {
        var errors = ErrorsOf(Config("""[{"Name":"q","Properties":{"RequiresSession":true,"ForwardTo":"q"}}]"""));

        Assert.IsTrue(errors.Any(e => e.Message.Contains("not supported on session-enabled")));
        Assert.IsTrue(errors.Any(e => e.Message.Contains("cannot forward to itself")));
    }

    [TestMethod]
    public void Production_values_beyond_the_emulator_ranges_load_and_are_listed()
    {
        var topology = Topology.Parse(Config(
            """[{"Name":"q","Properties":{"MaxDeliveryCount":20,"DefaultMessageTimeToLive":"P14D","MaxSizeInMegabytes":5120}}]""",
            """[{"Name":"t","Subscriptions":[{"Name":"s","Properties":{"DeadLetteringOnFilterEvaluationExceptions":false,"LockDuration":"PT5M"}}]}]"""));

        var findings = topology.ValidateAgainstEmulatorLimits().Select(f => $"{f.Path}.{f.Property}").ToList();

        CollectionAssert.Contains(findings, "q.MaxDeliveryCount");
        CollectionAssert.Contains(findings, "q.DefaultMessageTimeToLive");
        CollectionAssert.Contains(findings, "t/Subscriptions/s.DeadLetteringOnFilterEvaluationExceptions");
        CollectionAssert.Contains(findings, "q.MaxSizeInMegabytes");
        Assert.AreEqual(5120, topology.Queues[0].Properties.MaxSizeInMegabytes);
        Assert.AreEqual(TimeSpan.FromDays(14), topology.Queues[0].Properties.DefaultMessageTimeToLive);
    }

    [TestMethod]
    [DataRow("PT1M", 60.0)]
    [DataRow("PT20S", 20.0)]
    [DataRow("P14D", 1209600.0)]
    [DataRow("P1DT2H", 93600.0)]
    [DataRow("PT0.5S", 0.5)]
    [DataRow("P1W", 604800.0)]
    public void Iso_durations_parse(string text, double seconds)
    {
        Assert.IsTrue(IsoDuration.TryParse(text, out var value));
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), value);
    }

    [TestMethod]
    [DataRow("P")]
    [DataRow("PT")]
    [DataRow("1M")]
    [DataRow("PT1X")]
    [DataRow("")]
    public void Malformed_iso_durations_are_rejected(string text) => Assert.IsFalse(IsoDuration.TryParse(text, out _));

    [TestMethod]
    public void The_largest_duration_Service_Bus_writes_is_accepted()
    {
        Assert.IsTrue(IsoDuration.TryParse("P10675199DT2H48M5.4775807S", out var value));
        Assert.AreEqual(TimeSpan.MaxValue, value);
    }

    [TestMethod]
    public void Sending_and_receiving_respect_the_entity_kinds()
    {
        var topology = new Topology();
        topology.AddQueue("q");
        topology.AddTopic("t").AddSubscription("s");
        using var bus = LocalServiceBus.Create(topology);

        Assert.AreEqual(Errors.ServiceBusFailureReason.MessagingEntityNotFound,
            Assert.ThrowsExactly<Errors.ServiceBusException>(() => bus.CreateReceiver("t")).Reason);
        Assert.AreEqual(Errors.ServiceBusFailureReason.MessagingEntityNotFound,
            Assert.ThrowsExactly<Errors.ServiceBusException>(() => bus.CreateReceiver("missing")).Reason);
        Assert.ThrowsExactly<Errors.ServiceBusException>(() => bus.SendAsync("t/Subscriptions/s", new Messages.ServiceBusMessage("x")).GetAwaiter().GetResult());
        CollectionAssert.AreEquivalent(new[] { "q", "t/Subscriptions/s" }, bus.ReceivableEntityPaths.ToList());
    }
}
