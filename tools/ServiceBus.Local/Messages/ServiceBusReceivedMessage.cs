using System.Text;

namespace ServiceBus.Local.Messages;

/// <summary>A received or peeked message: a snapshot, like the SDK's <c>ServiceBusReceivedMessage</c>.</summary>
public sealed class ServiceBusReceivedMessage
{
    internal ServiceBusReceivedMessage() { }

    public ReadOnlyMemory<byte> Body { get; internal init; }
    public string? ContentType { get; internal init; }
    public string? MessageId { get; internal init; }
    public string? CorrelationId { get; internal init; }
    public string? SessionId { get; internal init; }
    public string? ReplyTo { get; internal init; }
    public string? ReplyToSessionId { get; internal init; }
    public string? To { get; internal init; }
    public string? Subject { get; internal init; }
    public string? PartitionKey { get; internal init; }
    public TimeSpan TimeToLive { get; internal init; }
    public DateTimeOffset ScheduledEnqueueTime { get; internal init; }
    public IReadOnlyDictionary<string, object?> ApplicationProperties { get; internal init; } = new Dictionary<string, object?>();

    public long SequenceNumber { get; internal init; }
    /// <summary>The sequence number at the point of original submission, for auto-forwarded messages.</summary>
    public long EnqueuedSequenceNumber { get; internal init; }
    public DateTimeOffset EnqueuedTime { get; internal init; }
    public DateTimeOffset ExpiresAt { get; internal init; }
    public int DeliveryCount { get; internal init; }
    /// <summary>Empty for peeked and receive-and-delete messages.</summary>
    public string LockToken { get; internal init; } = "";
    public DateTimeOffset LockedUntil { get; internal init; }
    public string? DeadLetterSource { get; internal init; }
    public ServiceBusMessageState State { get; internal init; }
    /// <summary>The entity path the message was taken from (e.g. <c>orders/Subscriptions/sap-fulfillment/$DeadLetterQueue</c>).</summary>
    public string EntityPath { get; internal init; } = "";

    public string? DeadLetterReason => ApplicationProperties.TryGetValue(Errors.DeadLetterReasons.ReasonProperty, out var v) ? v as string : null;
    public string? DeadLetterErrorDescription => ApplicationProperties.TryGetValue(Errors.DeadLetterReasons.DescriptionProperty, out var v) ? v as string : null;

    public string BodyAsString() => Encoding.UTF8.GetString(Body.Span);
}
