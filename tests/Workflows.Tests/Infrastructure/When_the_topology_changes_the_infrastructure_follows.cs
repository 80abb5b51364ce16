using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure.Bicep;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Infrastructure;

/// <summary>deploy/servicebus/Config.json is the single source of the Service Bus topology: the Service Bus module loads
/// it with loadJsonContent and deploys exactly its queues, topics, subscriptions and rules, whatever it holds.</summary>
[TestClass]
public sealed class When_the_topology_changes_the_infrastructure_follows
{
    private const string ServiceBusModule = "servicebus";

    [TestMethod]
    public void The_template_deploys_exactly_the_queues_topics_subscriptions_and_rules_of_the_topology()
    {
        var expected = ServiceBusArmTopology.ToParameterFile(RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath));
        var differences = ServiceBusTopologyCheck.Differences(RepositoryFiles.MainTemplate().ExpandResources(), expected);
        Assert.IsEmpty(differences, string.Join("\n", differences));
    }

    [TestMethod]
    public void Every_subscription_keeps_its_sessions_delivery_count_lock_and_dead_letter_forwarding()
    {
        var subscriptions = RepositoryFiles.MainTemplate().ExpandResources()
            .Where(r => r.Type == "Microsoft.ServiceBus/namespaces/topics/subscriptions")
            .ToDictionary(r => r.Name.Split('/')[^1], r => r.Json["properties"]!);
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        foreach (var subscription in config.SelectTokens("UserConfig.Namespaces[*].Topics[*].Subscriptions[*]"))
        {
            var deployed = subscriptions[(string)subscription["Name"]!];
            var source = subscription["Properties"]!;
            Assert.AreEqual((bool)source["RequiresSession"]!, (bool)deployed["requiresSession"]!);
            Assert.AreEqual((int)source["MaxDeliveryCount"]!, (int)deployed["maxDeliveryCount"]!);
            Assert.AreEqual((string?)source["LockDuration"], (string?)deployed["lockDuration"]);
            Assert.AreEqual((string?)source["ForwardDeadLetteredMessagesTo"], (string?)deployed["forwardDeadLetteredMessagesTo"]);
        }
    }

    [TestMethod]
    public void Every_topic_is_deployed_with_the_size_quota_the_local_broker_enforces()
    {
        // Stated in Config.json, not left to Azure's default: the local broker refuses sends at this size
        // (QuotaExceeded) as the namespace does, so the intake's 503 path is the same in both.
        var deployed = RepositoryFiles.MainTemplate().ExpandResources()
            .Where(r => r.Type == "Microsoft.ServiceBus/namespaces/topics")
            .ToDictionary(r => r.Name.Split('/')[^1], r => r.Json["properties"]!);
        var local = ServiceBus.Local.Entities.Topology.Load(RepositoryRoot.PathOf(ServiceBusArmTopology.ConfigPath));

        Assert.IsNotEmpty(local.Topics);
        foreach (var topic in local.Topics)
        {
            Assert.IsNotNull(deployed[topic.Name]["maxSizeInMegabytes"], $"topic '{topic.Name}' leaves its size quota to Azure's default");
            Assert.AreEqual(topic.Properties.MaxSizeInMegabytes, (int)deployed[topic.Name]["maxSizeInMegabytes"]!, topic.Name);
        }
        Assert.AreEqual(1024, (int)deployed["orders"]["maxSizeInMegabytes"]!, "the orders topic: 1 GB, Azure's default on Standard");
    }

    [TestMethod]
    public void Every_topic_has_an_alert_before_it_is_full()
    {
        var alerts = RepositoryFiles.MainTemplate().ExpandResources()
            .Where(r => r.Type == "Microsoft.Insights/metricAlerts" && r.Name.StartsWith("topic-size-", StringComparison.Ordinal))
            .ToDictionary(r => r.Name, r => r.Json["properties"]!);
        var local = ServiceBus.Local.Entities.Topology.Load(RepositoryRoot.PathOf(ServiceBusArmTopology.ConfigPath));

        Assert.HasCount(local.Topics.Count, alerts);
        var orders = alerts["topic-size-orders"].SelectToken("criteria.allOf[0]")!;
        Assert.AreEqual("Size", (string?)orders["metricName"]);
        Assert.AreEqual("orders", (string?)orders.SelectToken("dimensions[0].values[0]"));
        Assert.AreEqual(858_993_440L, (long)orders["threshold"]!, "80 % of 1,024 MB (1,073,741,824 bytes / 100 × 80)");
    }

    [TestMethod]
    public void A_changed_topic_quota_is_reported_as_a_property_difference()
    {
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        config.SelectToken("UserConfig.Namespaces[0].Topics[0].Properties")!["MaxSizeInMegabytes"] = 5120;

        var differences = ServiceBusTopologyCheck.Differences(
            RepositoryFiles.MainTemplate().ExpandResources(), ServiceBusArmTopology.ToParameterFile(config));

        Assert.HasCount(1, differences);
        StringAssert.Contains(differences[0], "5120");
    }

    [TestMethod]
    public void Entities_another_engineer_adds_to_Config_json_are_deployed_without_touching_the_Bicep()
    {
        // A copy of deploy/ with one more queue, topic, subscription (with a correlation filter and an action) and
        // rule, compiled by the real Bicep CLI: the module must deploy them as they are.
        using var copy = new DefectFixture();
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        var ns = (JObject)config.SelectToken("UserConfig.Namespaces[0]")!;
        ((JArray)ns["Queues"]!).Add(JObject.Parse("""
            { "Name": "resubmit-sap-fulfillment", "Properties": { "LockDuration": "PT2M", "MaxDeliveryCount": 3, "ForwardTo": "", "RequiresSession": false } }
            """));
        ((JArray)ns["Topics"]!).Add(JObject.Parse("""
            { "Name": "audit", "Properties": { "DefaultMessageTimeToLive": "PT1H" },
              "Subscriptions": [ { "Name": "auditors", "Properties": { "MaxDeliveryCount": 5, "ForwardDeadLetteredMessagesTo": "resubmit-sap-fulfillment" },
                "Rules": [ { "Name": "cancellations", "Properties": { "FilterType": "Correlation",
                  "CorrelationFilter": { "Subject": "OrderCancelled", "Properties": { "tenant": "eu" } },
                  "Action": { "SqlExpression": "SET audited = TRUE" } } } ] } ] }
            """));
        copy.WriteText(ServiceBusArmTopology.ConfigPath, config.ToString());

        var build = BicepCli.Build(copy.PathOf("deploy/infra/modules/servicebus.bicep"));
        Assert.AreEqual(0, build.ExitCode, string.Join("\n", build.Diagnostics));
        Assert.IsEmpty(build.Diagnostics, string.Join("\n", build.Diagnostics));
        var resources = new ArmTemplate(build.Template!, new JObject
        {
            ["parameters"] = new JObject
            {
                ["namespaceName"] = new JObject { ["value"] = "sb-test" },
                ["location"] = new JObject { ["value"] = "westeurope" },
                ["tags"] = new JObject { ["value"] = new JObject() },
                ["sku"] = new JObject { ["value"] = "Standard" },
                ["capacity"] = new JObject { ["value"] = 1 },
                ["workspaceId"] = new JObject { ["value"] = "/subscriptions/s/resourceGroups/r/providers/Microsoft.OperationalInsights/workspaces/w" },
            },
        }).ExpandResources();

        var differences = ServiceBusTopologyCheck.Differences(resources, ServiceBusArmTopology.ToParameterFile(config));
        Assert.IsEmpty(differences, string.Join("\n", differences));
        var rule = resources.Single(r => r.Name == "sb-test/audit/auditors/cancellations").Json["properties"]!;
        Assert.AreEqual("CorrelationFilter", (string?)rule["filterType"]);
        Assert.AreEqual("OrderCancelled", (string?)rule.SelectToken("correlationFilter.label"));
        Assert.AreEqual("eu", (string?)rule.SelectToken("correlationFilter.properties.tenant"));
        Assert.AreEqual("SET audited = TRUE", (string?)rule.SelectToken("action.sqlExpression"));
    }

    [TestMethod]
    public void A_changed_lock_duration_is_reported_as_a_property_difference()
    {
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        config.SelectToken("UserConfig.Namespaces[0].Topics[0].Subscriptions[0].Properties")!["LockDuration"] = "PT2M";

        var differences = ServiceBusTopologyCheck.Differences(
            RepositoryFiles.MainTemplate().ExpandResources(), ServiceBusArmTopology.ToParameterFile(config));

        Assert.HasCount(1, differences);
        StringAssert.Contains(differences[0], "PT2M");
    }

    [TestMethod]
    public void A_module_without_the_rule_loop_is_reported_as_missing_every_rule()
    {
        var template = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var module = (JArray)CompiledInfrastructure.ModuleTemplate(template, ServiceBusModule)["resources"]!;
        module.Where(r => (string?)r["type"] == "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").ToList().ForEach(r => r.Remove());
        var expected = ServiceBusArmTopology.ToParameterFile(RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath));

        var differences = ServiceBusTopologyCheck.Differences(new ArmTemplate(template).ExpandResources(), expected);

        Assert.HasCount(((JArray)expected.SelectToken("parameters.serviceBusRules.value")!).Count, differences);
        Assert.IsTrue(differences.All(d => d.EndsWith("is in the topology but not deployed.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_Config_property_without_an_ARM_name_is_an_error_naming_the_entity()
    {
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        config.SelectToken("UserConfig.Namespaces[0].Queues[0].Properties")!["EnablePartitioning"] = true;

        var error = Assert.ThrowsExactly<TopologyException>(() => ServiceBusArmTopology.ToParameterFile(config));

        StringAssert.Contains(error.Message, "queue 'deadletters-sap-fulfillment'");
        StringAssert.Contains(error.Message, "EnablePartitioning");
    }

    [TestMethod]
    public void Empty_forwarding_targets_of_the_emulator_are_left_out_for_ARM()
    {
        foreach (var queue in RepositoryFiles.MainTemplate().ExpandResources().Where(r => r.Type == "Microsoft.ServiceBus/namespaces/queues"))
        {
            Assert.IsNull(queue.Json["properties"]!["forwardTo"], queue.Name);
            Assert.IsNull(queue.Json["properties"]!["forwardDeadLetteredMessagesTo"], queue.Name);
        }
    }
}
