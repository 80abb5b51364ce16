using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Entities;

/// <summary>
/// The entities of one namespace: queues, topics and their subscriptions and rules. Loaded from the emulator's
/// Config.json shape (<see cref="TopologyLoader"/>) or built in code. Property defaults are Azure Service Bus's.
/// </summary>
public sealed class Topology
{
    public const string EmulatorNamespaceName = "sbemulatorns";

    public string NamespaceName { get; set; } = EmulatorNamespaceName;
    public List<QueueDefinition> Queues { get; } = [];
    public List<TopicDefinition> Topics { get; } = [];

    /// <summary>Properties the file set that Azure knows but the local broker does not act on (e.g. EnablePartitioning).</summary>
    internal List<(string Path, string Property)> IgnoredProperties { get; } = [];

    public static Topology Load(string path) => TopologyLoader.LoadFile(path);

    public static Topology Parse(string json) => TopologyLoader.Parse(json);

    public QueueDefinition AddQueue(string name, Action<QueueProperties>? configure = null)
    {
        var queue = new QueueDefinition(name);
        configure?.Invoke(queue.Properties);
        Queues.Add(queue);
        return queue;
    }

    public TopicDefinition AddTopic(string name, Action<TopicProperties>? configure = null)
    {
        var topic = new TopicDefinition(name);
        configure?.Invoke(topic.Properties);
        Topics.Add(topic);
        return topic;
    }

    /// <summary>Throws <see cref="TopologyException"/> listing every problem (names, ranges, forward targets).</summary>
    public void Validate()
    {
        var errors = TopologyValidator.Validate(this);
        if (errors.Count > 0) throw new TopologyException(errors);
    }

    /// <summary>Where this topology goes beyond what the Service Bus emulator documents (installer Config-schema.json; https://learn.microsoft.com/azure/service-bus-messaging/overview-emulator#usage-quotas).
    /// Production values may legitimately exceed these; the report says where.</summary>
    public IReadOnlyList<EmulatorLimitFinding> ValidateAgainstEmulatorLimits() => EmulatorLimits.Check(this);
}

public sealed class QueueDefinition(string name)
{
    public string Name { get; } = name;
    public QueueProperties Properties { get; } = new();
}

public sealed class TopicDefinition(string name)
{
    public string Name { get; } = name;
    public TopicProperties Properties { get; } = new();
    public List<SubscriptionDefinition> Subscriptions { get; } = [];

    public SubscriptionDefinition AddSubscription(string name, Action<SubscriptionProperties>? configure = null, params RuleDefinition[] rules)
    {
        var subscription = new SubscriptionDefinition(name);
        configure?.Invoke(subscription.Properties);
        subscription.Rules.AddRange(rules);
        Subscriptions.Add(subscription);
        return subscription;
    }
}

public sealed class SubscriptionDefinition(string name)
{
    public string Name { get; } = name;
    public SubscriptionProperties Properties { get; } = new();

    /// <summary>Empty means the <c>$Default</c> rule (true filter, no action), as for a new subscription.</summary>
    public List<RuleDefinition> Rules { get; } = [];

    /// <summary>Set once rules were added or removed at run time: from then on <see cref="Rules"/> is the whole set,
    /// and an empty set selects nothing (as in Azure after removing <c>$Default</c>).</summary>
    internal bool RulesEdited { get; set; }

    internal IReadOnlyList<RuleDefinition> EffectiveRules =>
        Rules.Count > 0 || RulesEdited ? Rules : [new RuleDefinition(RuleDefinition.DefaultRuleName, TrueRuleFilter.Instance)];
}

public sealed class RuleDefinition(string name, RuleFilter filter, SqlRuleAction? action = null)
{
    public const string DefaultRuleName = "$Default";

    public string Name { get; } = name;
    public RuleFilter Filter { get; } = filter;
    public SqlRuleAction? Action { get; } = action;
}

/// <summary>Properties shared by the entities that hold messages (queues and subscriptions).</summary>
public abstract class ReceivableEntityProperties
{
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(1);
    public int MaxDeliveryCount { get; set; } = 10;
    public TimeSpan DefaultMessageTimeToLive { get; set; } = TimeSpan.MaxValue;
    public bool DeadLetteringOnMessageExpiration { get; set; }
    public bool RequiresSession { get; set; }
    public string? ForwardTo { get; set; }
    public string? ForwardDeadLetteredMessagesTo { get; set; }
}

public sealed class QueueProperties : ReceivableEntityProperties
{
    public bool RequiresDuplicateDetection { get; set; }
    public TimeSpan DuplicateDetectionHistoryTimeWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Largest accepted message; 256 KB is the Standard tier's limit (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas).</summary>
    public int MaxMessageSizeInKilobytes { get; set; } = 256;
    /// <summary>See <see cref="EntitySizeQuota"/>: setting it sets <see cref="MaxSizeInBytes"/>.</summary>
    public int MaxSizeInMegabytes { get => EntitySizeQuota.Megabytes(MaxSizeInBytes); set => MaxSizeInBytes = EntitySizeQuota.Bytes(value); }
    /// <summary>See <see cref="EntitySizeQuota"/>; code (tests) may set a quota below a megabyte, which a topology file cannot.</summary>
    public long MaxSizeInBytes { get; set; } = EntitySizeQuota.DefaultBytes;
}

public sealed class TopicProperties
{
    public TimeSpan DefaultMessageTimeToLive { get; set; } = TimeSpan.MaxValue;
    public bool RequiresDuplicateDetection { get; set; }
    public TimeSpan DuplicateDetectionHistoryTimeWindow { get; set; } = TimeSpan.FromMinutes(10);
    public int MaxMessageSizeInKilobytes { get; set; } = 256;
    /// <summary>See <see cref="EntitySizeQuota"/>: setting it sets <see cref="MaxSizeInBytes"/>.</summary>
    public int MaxSizeInMegabytes { get => EntitySizeQuota.Megabytes(MaxSizeInBytes); set => MaxSizeInBytes = EntitySizeQuota.Bytes(value); }
    /// <summary>See <see cref="EntitySizeQuota"/>; code (tests) may set a quota below a megabyte, which a topology file cannot.</summary>
    public long MaxSizeInBytes { get; set; } = EntitySizeQuota.DefaultBytes;
}

/// <summary>
/// A queue's or topic's size quota, <c>MaxSizeInMegabytes</c> ("Queue or topic size",
/// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas): 1,024 MB unless set, as in Azure
/// (Standard: 1, 2, 3, 4 or 5 GB). "Subsequent incoming messages are rejected, and an exception is received by the
/// calling code": once the entity holds that much, a send gets QuotaExceeded.
/// </summary>
public static class EntitySizeQuota
{
    public const long BytesPerMegabyte = 1024 * 1024;
    public const int DefaultMegabytes = 1024;
    public const long DefaultBytes = DefaultMegabytes * BytesPerMegabyte;

    public static long Bytes(int megabytes) => megabytes * BytesPerMegabyte;

    public static int Megabytes(long bytes) => (int)Math.Min(int.MaxValue, bytes / BytesPerMegabyte);
}

public sealed class SubscriptionProperties : ReceivableEntityProperties
{
    /// <summary>Azure's default is true (https://learn.microsoft.com/rest/api/servicebus/create-subscription); the emulator's schema has no such property.</summary>
    public bool DeadLetteringOnFilterEvaluationExceptions { get; set; } = true;
}

public sealed record TopologyError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

public sealed class TopologyException(IReadOnlyList<TopologyError> errors)
    : Exception("The Service Bus topology is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<TopologyError> Errors { get; } = errors;
}

public sealed record EmulatorLimitFinding(string Path, string Property, string Value, string EmulatorLimit)
{
    public override string ToString() => $"{Path}.{Property} = {Value} (emulator: {EmulatorLimit})";
}
