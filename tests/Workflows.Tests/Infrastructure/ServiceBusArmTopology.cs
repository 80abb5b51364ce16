using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// The test's own, independent reading of the emulator topology (<c>deploy/servicebus/Config.json</c>, the single
/// source) as ARM entities: what <c>deploy/infra/modules/servicebus.bicep</c> must deploy. Every Config.json property
/// must have a known ARM name (from the Microsoft.ServiceBus template reference): an unknown one is an error naming the
/// entity, never silently dropped, so the deployed entities can't drift from what the local broker runs.
/// </summary>
public static class ServiceBusArmTopology
{
    public const string ConfigPath = "deploy/servicebus/Config.json";

    // Emulator (Config.json) property → ARM property, per entity kind. ARM names from the Microsoft.ServiceBus
    // template reference (namespaces/queues, namespaces/topics, namespaces/topics/subscriptions).
    private static readonly IReadOnlyDictionary<string, string> QueueProperties = new Dictionary<string, string>
    {
        ["DeadLetteringOnMessageExpiration"] = "deadLetteringOnMessageExpiration",
        ["DefaultMessageTimeToLive"] = "defaultMessageTimeToLive",
        ["DuplicateDetectionHistoryTimeWindow"] = "duplicateDetectionHistoryTimeWindow",
        ["ForwardDeadLetteredMessagesTo"] = "forwardDeadLetteredMessagesTo",
        ["ForwardTo"] = "forwardTo",
        ["LockDuration"] = "lockDuration",
        ["MaxDeliveryCount"] = "maxDeliveryCount",
        ["MaxSizeInMegabytes"] = "maxSizeInMegabytes",
        ["RequiresDuplicateDetection"] = "requiresDuplicateDetection",
        ["RequiresSession"] = "requiresSession",
    };

    private static readonly IReadOnlyDictionary<string, string> TopicProperties = new Dictionary<string, string>
    {
        ["DefaultMessageTimeToLive"] = "defaultMessageTimeToLive",
        ["DuplicateDetectionHistoryTimeWindow"] = "duplicateDetectionHistoryTimeWindow",
        ["MaxSizeInMegabytes"] = "maxSizeInMegabytes",
        ["RequiresDuplicateDetection"] = "requiresDuplicateDetection",
    };

    private static readonly IReadOnlyDictionary<string, string> SubscriptionProperties = new Dictionary<string, string>
    {
        ["DeadLetteringOnMessageExpiration"] = "deadLetteringOnMessageExpiration",
        ["DefaultMessageTimeToLive"] = "defaultMessageTimeToLive",
        ["ForwardDeadLetteredMessagesTo"] = "forwardDeadLetteredMessagesTo",
        ["ForwardTo"] = "forwardTo",
        ["LockDuration"] = "lockDuration",
        ["MaxDeliveryCount"] = "maxDeliveryCount",
        ["RequiresSession"] = "requiresSession",
    };

    /// <summary>What Azure gets instead of the emulator's capped values, per entity kind, in Config.json's spelling.</summary>
    public const string AzurePath = "deploy/servicebus/Azure.json";

    // Correlation filter: emulator keys → ARM correlationFilter keys (Label is ARM's name for Subject).
    private static readonly IReadOnlyDictionary<string, string> CorrelationProperties = new Dictionary<string, string>
    {
        ["ContentType"] = "contentType",
        ["CorrelationId"] = "correlationId",
        ["Label"] = "label",
        ["Subject"] = "label",
        ["MessageId"] = "messageId",
        ["ReplyTo"] = "replyTo",
        ["ReplyToSessionId"] = "replyToSessionId",
        ["SessionId"] = "sessionId",
        ["To"] = "to",
        ["Properties"] = "properties",
    };

    /// <summary>The expected entities as <c>{"parameters": {"serviceBusQueues": {"value": [...]}, ...}}</c> for the namespace
    /// named in Config.json (there is exactly one).</summary>
    public static JObject ToParameterFile(JObject config)
    {
        var namespaces = config.SelectToken("UserConfig.Namespaces") as JArray
            ?? throw new TopologyException("Config.json has no UserConfig.Namespaces array.");
        if (namespaces.Count != 1)
        {
            throw new TopologyException($"Config.json must describe exactly one namespace (the emulator allows one); found {namespaces.Count}.");
        }
        var ns = (JObject)namespaces[0];
        var azure = RepositoryFiles.ReadJson(AzurePath);
        var azureQueues = MapProperties(new JObject { ["Properties"] = azure["Queues"] }, QueueProperties, AzurePath + " Queues");
        var azureTopics = MapProperties(new JObject { ["Properties"] = azure["Topics"] }, TopicProperties, AzurePath + " Topics");
        var azureSubscriptions = MapProperties(new JObject { ["Properties"] = azure["Subscriptions"] }, SubscriptionProperties, AzurePath + " Subscriptions");

        var queues = new JArray();
        foreach (var queue in Entities(ns, "Queues"))
        {
            queues.Add(new JObject
            {
                ["name"] = Name(queue, "queue"),
                ["properties"] = WithAzureValues(MapProperties(queue, QueueProperties, $"queue '{Name(queue, "queue")}'"), azureQueues),
            });
        }

        var topics = new JArray();
        var subscriptions = new JArray();
        var rules = new JArray();
        foreach (var topic in Entities(ns, "Topics"))
        {
            var topicName = Name(topic, "topic");
            topics.Add(new JObject
            {
                ["name"] = topicName,
                ["properties"] = WithAzureValues(MapProperties(topic, TopicProperties, $"topic '{topicName}'"), azureTopics),
            });
            foreach (var subscription in Entities(topic, "Subscriptions"))
            {
                var subscriptionName = Name(subscription, "subscription");
                var where = $"subscription '{topicName}/{subscriptionName}'";
                subscriptions.Add(new JObject
                {
                    ["topic"] = topicName,
                    ["name"] = subscriptionName,
                    ["properties"] = WithAzureValues(MapProperties(subscription, SubscriptionProperties, where), azureSubscriptions),
                });
                foreach (var rule in Entities(subscription, "Rules"))
                {
                    var ruleName = Name(rule, "rule");
                    rules.Add(new JObject
                    {
                        ["topic"] = topicName,
                        ["subscription"] = subscriptionName,
                        ["name"] = ruleName,
                        ["properties"] = MapRule(rule, $"rule '{topicName}/{subscriptionName}/{ruleName}'"),
                    });
                }
            }
        }

        return new JObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            ["contentVersion"] = "1.0.0.0",
            ["parameters"] = new JObject
            {
                ["serviceBusQueues"] = new JObject { ["value"] = queues },
                ["serviceBusTopics"] = new JObject { ["value"] = topics },
                ["serviceBusSubscriptions"] = new JObject { ["value"] = subscriptions },
                ["serviceBusRules"] = new JObject { ["value"] = rules },
            },
        };
    }

    private static JObject WithAzureValues(JObject properties, JObject azure)
    {
        foreach (var value in azure.Properties()) properties[value.Name] = value.Value.DeepClone();
        return properties;
    }

    private static IEnumerable<JObject> Entities(JObject parent, string property) =>
        parent[property] switch
        {
            null => [],
            JArray array => array.Select((item, i) => item as JObject
                ?? throw new TopologyException($"{property}[{i}] in Config.json is not an object.")),
            _ => throw new TopologyException($"'{property}' in Config.json is not an array."),
        };

    private static string Name(JObject entity, string kind) =>
        entity.Value<string>("Name") is { Length: > 0 } name
            ? name
            : throw new TopologyException($"A {kind} in Config.json has no Name.");

    private static JObject MapProperties(JObject entity, IReadOnlyDictionary<string, string> known, string where)
    {
        var result = new JObject();
        if (entity["Properties"] is not JObject properties) return result;
        foreach (var property in properties.Properties())
        {
            if (!known.TryGetValue(property.Name, out var armName))
            {
                throw new TopologyException(
                    $"{where}: Config.json property '{property.Name}' has no ARM mapping. Add it to {nameof(ServiceBusArmTopology)} so Azure gets the same setting as the emulator.");
            }
            // The emulator spells "not forwarded" as an empty string; ARM expects the property left out.
            if (property.Value.Type == JTokenType.String && (string?)property.Value == "") continue;
            result[armName] = property.Value.DeepClone();
        }
        return result;
    }

    private static JObject MapRule(JObject rule, string where)
    {
        var properties = rule["Properties"] as JObject ?? throw new TopologyException($"{where} has no Properties.");
        var result = new JObject();
        foreach (var property in properties.Properties())
        {
            switch (property.Name)
            {
                case "FilterType":
                    result["filterType"] = (string?)property.Value switch
                    {
                        "Sql" => "SqlFilter",
                        "Correlation" => "CorrelationFilter",
                        var other => throw new TopologyException($"{where}: FilterType '{other}' is neither Sql nor Correlation."),
                    };
                    break;
                case "SqlFilter":
                    result["sqlFilter"] = new JObject
                    {
                        ["sqlExpression"] = properties.SelectToken("SqlFilter.SqlExpression")?.DeepClone()
                            ?? throw new TopologyException($"{where}: SqlFilter has no SqlExpression."),
                    };
                    break;
                case "CorrelationFilter":
                    result["correlationFilter"] = MapProperties(
                        new JObject { ["Properties"] = property.Value.DeepClone() }, CorrelationProperties, where);
                    break;
                case "Action":
                    result["action"] = new JObject
                    {
                        ["sqlExpression"] = property.Value.SelectToken("SqlExpression")?.DeepClone()
                            ?? throw new TopologyException($"{where}: Action has no SqlExpression."),
                    };
                    break;
                default:
                    throw new TopologyException($"{where}: Config.json rule property '{property.Name}' has no ARM mapping.");
            }
        }
        if (result["filterType"] is null) throw new TopologyException($"{where} has no FilterType.");
        return result;
    }
}

/// <summary>The topology can't be expressed in ARM as given; the message names the entity and the property.</summary>
public sealed class TopologyException(string message) : Exception(message);
