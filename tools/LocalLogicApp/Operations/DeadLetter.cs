using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Operations;

/// <summary>Where a dead letter is: still in the broker, or alerted and archived in the lake.</summary>
public enum DeadLetterLocation
{
    /// <summary>In a per-subscriber dead-letter queue (<c>deadletters-*</c>), waiting for its alert workflow.</summary>
    AlertQueue,
    /// <summary>In a dead-letter sub-queue (<c>.../$DeadLetterQueue</c>): a subscription's (when not forwarded) or an alert queue's own (its alert failed repeatedly).</summary>
    DeadLetterSubQueue,
    /// <summary>Alerted and archived by the alert workflow under <c>deadletters/&lt;subscriber&gt;/</c> in the lake container.</summary>
    Archive,
}

/// <summary>One dead letter as an operator sees it. <see cref="Message"/> is the built-in connector's message
/// object (contentData, contentType, messageId, sessionId, userProperties, ...); <see cref="RawBody"/> is the body
/// exactly as the broker holds it (null for an archived dead letter, whose body is in <c>contentData</c>).</summary>
/// <param name="Source">Entity path (broker) or object name (archive).</param>
public sealed record DeadLetter(
    DeadLetterLocation Location,
    string Source,
    string Subscriber,
    long SequenceNumber,
    string? MessageId,
    string? Reason,
    string? Description,
    DateTimeOffset? EnqueuedUtc,
    JObject Message,
    ReadOnlyMemory<byte>? RawBody = null);

/// <param name="Topic">Where the copy was sent.</param>
/// <param name="To">The only subscriber that receives it (the subscriptions' resubmit rule).</param>
/// <param name="NotBefore">Set when the original was published less than the topic's duplicate-detection window
/// ago: the copy was not sent (the broker would have dropped it silently); it can be sent from that instant.</param>
public sealed record ResubmitOutcome(string Topic, string To, string? MessageId, bool Sent, DateTimeOffset? NotBefore, bool RemovedOriginal, string? AuditObject);
