using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>deploy/servicebus/Config.json is the single source of the Service Bus topology: the ARM parameter
/// file is generated from it and main.json deploys exactly what the parameter file lists.</summary>
[TestClass]
public sealed class When_the_topology_changes_the_infrastructure_follows
{
    [TestMethod]
    public void The_committed_parameter_file_is_what_the_generator_makes_of_Config_json()
    {
        var generated = ServiceBusArmTopology.Serialize(ServiceBusArmTopology.ToParameterFile(RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath)));
        var path = RepositoryFiles.PathOf(ServiceBusArmTopology.ParametersPath);
        if (Environment.GetEnvironmentVariable(ServiceBusArmTopology.RegenerateVariable) == "1")
        {
            File.WriteAllText(path, generated);
        }
        var committed = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.IsTrue(JToken.DeepEquals(JToken.Parse(generated), committed.Length == 0 ? null : JToken.Parse(committed)),
            $"{ServiceBusArmTopology.ParametersPath} is out of date with {ServiceBusArmTopology.ConfigPath}. Regenerate it with:\n  {ServiceBusArmTopology.RegenerateCommand}");
    }

    [TestMethod]
    public void The_template_deploys_exactly_the_queues_topics_subscriptions_and_rules_of_the_topology()
    {
        var parameterFile = ServiceBusArmTopology.ToParameterFile(RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath));
        var differences = ServiceBusTopologyCheck.Differences(RepositoryFiles.MainTemplate().ExpandResources(), parameterFile);
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
    public void A_subscription_added_to_Config_json_makes_the_committed_parameter_file_stale()
    {
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        var subscriptions = (JArray)config.SelectToken("UserConfig.Namespaces[0].Topics[0].Subscriptions")!;
        var extra = subscriptions[0].DeepClone();
        extra["Name"] = "audit";
        subscriptions.Add(extra);

        var differences = ServiceBusTopologyCheck.Differences(
            RepositoryFiles.MainTemplate().ExpandResources(), ServiceBusArmTopology.ToParameterFile(config));

        CollectionAssert.Contains(differences.ToList(), "Microsoft.ServiceBus/namespaces/topics/subscriptions orders/audit is in the topology but not deployed.");
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
    public void A_template_without_the_rule_loop_is_reported_as_missing_every_rule()
    {
        var template = RepositoryFiles.ReadJson("deploy/infra/main.json");
        ((JArray)template["resources"]!).Where(r => (string?)r["type"] == "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").ToList().ForEach(r => r.Remove());
        var parameterFile = RepositoryFiles.ReadJson(ServiceBusArmTopology.ParametersPath);

        var differences = ServiceBusTopologyCheck.Differences(new ArmTemplate(template, parameterFile).ExpandResources(), parameterFile);

        Assert.HasCount(((JArray)parameterFile.SelectToken("parameters.serviceBusRules.value")!).Count, differences);
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
        var file = ServiceBusArmTopology.ToParameterFile(RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath));

        foreach (var queue in file.SelectTokens("parameters.serviceBusQueues.value[*].properties"))
        {
            Assert.IsNull(queue["forwardTo"]);
            Assert.IsNull(queue["forwardDeadLetteredMessagesTo"]);
        }
    }
}
