using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>The template's app settings wire connections.json: every setting the project reads exists, each
/// Service Bus connection runs as its own identity, and that identity can do what its workflows do.</summary>
[TestClass]
public sealed class When_the_Logic_App_starts_each_connection_uses_its_own_identity
{
    [TestMethod]
    public void Every_app_setting_read_by_connections_parameters_workflows_and_custom_code_is_set()
    {
        var settings = AppSettings.Evaluated(RepositoryFiles.MainTemplate());
        var missing = AppSettings.ReadByTheProject().Where(name => settings[name] is null).ToList();
        Assert.IsEmpty(missing, "Not set by the app settings of deploy/infra/modules/logicapp.bicep: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void Each_Service_Bus_connection_has_its_own_attached_identity_and_the_namespace_address()
    {
        var template = RepositoryFiles.MainTemplate();
        var settings = AppSettings.Evaluated(template);
        var site = template.ExpandResources().Single(r => r.Type == "Microsoft.Web/sites");
        var attached = ((JObject)site.Json.SelectToken("identity.userAssignedIdentities")!).Properties().Select(p => p.Name).ToHashSet();
        var connections = ServiceBusConnections();
        Assert.HasCount(6, connections);

        var identities = connections.Select(c => (string?)settings[$"{c}_identity"]).ToList();
        foreach (var (connection, identity) in connections.Zip(identities))
        {
            Assert.IsNotNull(identity, $"{connection}_identity");
            Assert.Contains(identity, attached, $"{connection}_identity names an identity the Logic App doesn't carry.");
            Assert.AreEqual($"{template.Variable("names")["serviceBusNamespace"]}.servicebus.windows.net", (string?)settings[$"{connection}_fullyQualifiedNamespace"]);
        }
        Assert.HasCount(connections.Count, identities.Distinct().ToList(), "Two Service Bus connections share an identity.");
    }

    [TestMethod]
    public void The_identity_of_every_connection_holds_the_role_each_workflow_operation_needs_on_its_entity()
    {
        var template = RepositoryFiles.MainTemplate();
        var missing = MissingGrants(AppSettings.Evaluated(template), RoleMatrix.Grants(template.ExpandResources()));
        Assert.IsEmpty(missing, string.Join("\n", missing));
    }

    [TestMethod]
    public void Swapping_two_subscriber_identities_is_caught_by_the_workflow_trace()
    {
        var template = RepositoryFiles.MainTemplate();
        var settings = AppSettings.Evaluated(template);
        (settings["serviceBusSmsNotification_identity"], settings["serviceBusLakeArchive_identity"]) =
            (settings["serviceBusLakeArchive_identity"]!.DeepClone(), settings["serviceBusSmsNotification_identity"]!.DeepClone());

        var missing = MissingGrants(settings, RoleMatrix.Grants(template.ExpandResources()));

        Assert.IsTrue(missing.Any(m => m.StartsWith("SmsNotification peekLockTopicMessagesV2 via serviceBusSmsNotification (id-orders-lake-archive)", StringComparison.Ordinal)), string.Join("\n", missing));
        Assert.IsTrue(missing.Any(m => m.StartsWith("LakeArchive peekLockTopicMessagesV2 via serviceBusLakeArchive (id-orders-sms-notification)", StringComparison.Ordinal)), string.Join("\n", missing));
    }

    [TestMethod]
    public void Entity_names_and_delivery_counts_in_the_workflow_settings_match_the_topology()
    {
        var settings = AppSettings.Evaluated(RepositoryFiles.MainTemplate());
        var config = RepositoryFiles.ReadJson(ServiceBusArmTopology.ConfigPath);
        var subscriptions = config.SelectTokens("UserConfig.Namespaces[*].Topics[*].Subscriptions[*]").ToDictionary(s => (string)s["Name"]!);
        var queues = config.SelectTokens("UserConfig.Namespaces[*].Queues[*].Name").Select(q => (string)q!).ToHashSet();
        var topics = config.SelectTokens("UserConfig.Namespaces[*].Topics[*].Name").Select(t => (string)t!).ToHashSet();

        Assert.Contains((string)settings["Orders_TopicName"]!, topics);
        foreach (var setting in settings.Properties())
        {
            var value = (string?)setting.Value;
            if (setting.Name.StartsWith("DeadLetters_", StringComparison.Ordinal) && setting.Name.EndsWith("QueueName", StringComparison.Ordinal))
            {
                Assert.Contains(value!, queues, setting.Name);
            }
            if (setting.Name.StartsWith("Orders_", StringComparison.Ordinal) && setting.Name.EndsWith("SubscriptionName", StringComparison.Ordinal))
            {
                Assert.IsTrue(subscriptions.ContainsKey(value!), $"{setting.Name}={value} is not a subscription of the topology.");
                var subscriber = setting.Name["Orders_".Length..^"SubscriptionName".Length];
                Assert.AreEqual((string?)subscriptions[value!].SelectToken("Properties.MaxDeliveryCount"),
                    (string?)settings[$"Orders_{subscriber}MaxDeliveryCount"], $"Orders_{subscriber}MaxDeliveryCount");
                Assert.AreEqual((string?)subscriptions[value!].SelectToken("Properties.ForwardDeadLetteredMessagesTo"),
                    (string?)settings[$"DeadLetters_{subscriber}QueueName"], $"DeadLetters_{subscriber}QueueName");
            }
        }
    }

    private static List<string> ServiceBusConnections() =>
        ((JObject)RepositoryFiles.ReadJson("connections.json")["serviceProviderConnections"]!).Properties()
            .Where(p => (string?)p.Value.SelectToken("serviceProvider.id") == "/serviceProviders/serviceBus")
            .Select(p => p.Name).ToList();

    private static List<string> MissingGrants(JObject settings, IReadOnlyList<Grant> grants)
    {
        var needs = ServiceBusAccessNeeds.Find(settings);
        Assert.IsNotEmpty(needs);
        var missing = new List<string>();
        foreach (var need in needs)
        {
            var identity = ((string?)settings[$"{need.Connection}_identity"] ?? "(none)").Split('/')[^1];
            if (!grants.Any(g => g.Identity == identity && g.Role == need.Role && g.Scope == need.Scope))
            {
                missing.Add($"{need.Workflow} {need.Operation} via {need.Connection} ({identity}) needs {need.Role} on {need.Scope}.");
            }
        }
        return missing.Distinct().ToList();
    }
}
