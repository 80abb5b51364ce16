using Cli.Iac;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Entities;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// The IaC deploys deploy/servicebus/Azure.json's values over Config.json's (<c>When_Azure_holds_the_messages...</c>).
/// The deadletters verb, working on an Azure namespace, reads the topology the same way: a resubmit waits out Azure's
/// hour of duplicate detection, since a copy sent within it would be accepted and silently dropped (Learn, "Duplicate
/// detection"), not the emulator's five minutes.
/// </summary>
[TestClass]
public sealed class When_the_operator_works_on_an_Azure_namespace_the_tool_knows_its_Azure_values
{
    private static Topology AzureTopology() =>
        AzureEntityValues.LoadTopology(RepositoryRoot.PathOf(ServiceBusArmTopology.ConfigPath), RepositoryRoot.PathOf(AzureEntityValues.RelativePath));

    [TestMethod]
    public void The_orders_topic_detects_duplicates_for_an_hour_in_Azure_and_five_minutes_locally()
    {
        var local = TopologyLoader.LoadFile(RepositoryRoot.PathOf(ServiceBusArmTopology.ConfigPath));

        Assert.AreEqual(TimeSpan.FromHours(1), AzureTopology().Topics.Single(t => t.Name == "orders").Properties.DuplicateDetectionHistoryTimeWindow);
        Assert.AreEqual(TimeSpan.FromMinutes(5), local.Topics.Single(t => t.Name == "orders").Properties.DuplicateDetectionHistoryTimeWindow);
    }

    [TestMethod]
    public void Only_the_Azure_values_change_every_other_property_stays_as_Config_json_has_it()
    {
        var azure = AzureTopology();
        var local = TopologyLoader.LoadFile(RepositoryRoot.PathOf(ServiceBusArmTopology.ConfigPath));

        foreach (var subscription in local.Topics.Single().Subscriptions)
        {
            var inAzure = azure.Topics.Single().Subscriptions.Single(s => s.Name == subscription.Name);
            Assert.AreEqual(TimeSpan.FromDays(14), inAzure.Properties.DefaultMessageTimeToLive, subscription.Name);
            Assert.AreEqual(subscription.Properties.LockDuration, inAzure.Properties.LockDuration, subscription.Name);
            Assert.AreEqual(subscription.Properties.MaxDeliveryCount, inAzure.Properties.MaxDeliveryCount, subscription.Name);
        }
    }

    [TestMethod]
    public void Values_are_laid_on_every_entity_of_their_kind_and_nowhere_else()
    {
        var config = JObject.Parse("""
            { "UserConfig": { "Namespaces": [ { "Name": "ns", "Queues": [ { "Name": "q", "Properties": { "LockDuration": "PT1M" } } ],
              "Topics": [ { "Name": "t", "Properties": {}, "Subscriptions": [ { "Name": "s" } ] } ] } ] } }
            """);
        var azure = JObject.Parse("""{ "Queues": { "DefaultMessageTimeToLive": "P30D" }, "Subscriptions": { "DefaultMessageTimeToLive": "P14D" } }""");

        var applied = AzureEntityValues.Apply(config, azure);

        Assert.AreEqual("P30D", (string?)applied.SelectToken("UserConfig.Namespaces[0].Queues[0].Properties.DefaultMessageTimeToLive"));
        Assert.AreEqual("PT1M", (string?)applied.SelectToken("UserConfig.Namespaces[0].Queues[0].Properties.LockDuration"));
        Assert.AreEqual("P14D", (string?)applied.SelectToken("UserConfig.Namespaces[0].Topics[0].Subscriptions[0].Properties.DefaultMessageTimeToLive"));
        Assert.IsNull(applied.SelectToken("UserConfig.Namespaces[0].Topics[0].Properties.DefaultMessageTimeToLive"), "no Topics values were given");
        Assert.IsNull(config.SelectToken("UserConfig.Namespaces[0].Queues[0].Properties.DefaultMessageTimeToLive"), "the input is not changed");
    }

    [TestMethod]
    public void A_missing_Azure_values_file_is_a_clear_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-azure-" + Guid.NewGuid().ToString("N") + ".json");

        var error = Assert.ThrowsExactly<ServiceBus.Local.Entities.TopologyException>(() => AzureEntityValues.LoadTopology(RepositoryRoot.PathOf(ServiceBusArmTopology.ConfigPath), missing));

        StringAssert.Contains(error.Message, missing + ": cannot read it as a JSON object");
    }
}
