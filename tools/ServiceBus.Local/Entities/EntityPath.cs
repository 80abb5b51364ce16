namespace ServiceBus.Local.Entities;

/// <summary>
/// Service Bus entity paths: <c>queue</c>, <c>topic</c>, <c>topic/Subscriptions/sub</c>, and a dead-letter sub-queue
/// <c>…/$DeadLetterQueue</c>. Segments compare case-insensitively, as the service does.
/// </summary>
public static class EntityPath
{
    public const string DeadLetterQueueSegment = "$DeadLetterQueue";
    public const string SubscriptionsSegment = "Subscriptions";

    public static string FormatSubscriptionPath(string topic, string subscription) => $"{topic}/{SubscriptionsSegment}/{subscription}";

    public static string FormatDeadLetterPath(string entityPath) => $"{entityPath}/{DeadLetterQueueSegment}";

    /// <summary>Splits a path into the entity it names and whether it is that entity's dead-letter sub-queue.</summary>
    public static (string EntityPath, bool DeadLetter) Split(string path)
    {
        var trimmed = path.Trim().Trim('/');
        var suffix = "/" + DeadLetterQueueSegment;
        return trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
            ? (trimmed[..^suffix.Length], true)
            : (trimmed, false);
    }

    /// <summary>The topic and subscription names of a subscription path, or null for a queue/topic path.</summary>
    public static (string Topic, string Subscription)? SplitSubscription(string entityPath)
    {
        var marker = "/" + SubscriptionsSegment + "/";
        var at = entityPath.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at <= 0) return null;
        return (entityPath[..at], entityPath[(at + marker.Length)..]);
    }
}
