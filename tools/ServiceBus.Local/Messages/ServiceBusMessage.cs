using System.Text;

namespace ServiceBus.Local.Messages;

/// <summary>A message to send, with the properties a sender may set (like the SDK's <c>ServiceBusMessage</c>).</summary>
public sealed class ServiceBusMessage
{
    public ServiceBusMessage() { }

    public ServiceBusMessage(byte[] body) => Body = body;

    public ServiceBusMessage(string body) => Body = Encoding.UTF8.GetBytes(body);

    /// <summary>A copy for re-sending a received message (e.g. resubmitting a dead letter): body and the
    /// sender-set properties are kept; broker-set ones (sequence number, lock, delivery count) are not.</summary>
    public ServiceBusMessage(ServiceBusReceivedMessage received)
    {
        Body = received.Body.ToArray();
        ContentType = received.ContentType;
        MessageId = received.MessageId;
        CorrelationId = received.CorrelationId;
        SessionId = received.SessionId;
        ReplyTo = received.ReplyTo;
        ReplyToSessionId = received.ReplyToSessionId;
        To = received.To;
        Subject = received.Subject;
        PartitionKey = received.PartitionKey;
        foreach (var (key, value) in received.ApplicationProperties) ApplicationProperties[key] = value;
    }

    public byte[] Body { get; set; } = [];
    public string? ContentType { get; set; }
    public string? MessageId { get; set; }
    public string? CorrelationId { get; set; }
    public string? SessionId { get; set; }
    public string? ReplyTo { get; set; }
    public string? ReplyToSessionId { get; set; }
    public string? To { get; set; }

    /// <summary>The SDK's Subject; SQL filters and correlation filters call it <c>Label</c>.</summary>
    public string? Subject { get; set; }

    public string? PartitionKey { get; set; }

    /// <summary>Relative lifetime; <see cref="TimeSpan.MaxValue"/> (the SDK default) means "the entity's default".</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.MaxValue;

    /// <summary>When set (and in the future), the message stays invisible until then.</summary>
    public DateTimeOffset? ScheduledEnqueueTime { get; set; }

    /// <summary>User properties: string, bool, integral and floating numbers, decimal, char, Guid, DateTime,
    /// DateTimeOffset, TimeSpan, Uri (the types the SDK accepts).</summary>
    public IDictionary<string, object?> ApplicationProperties { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    public string BodyAsString() => Encoding.UTF8.GetString(Body);
}
