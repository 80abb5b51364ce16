using System.Text;
using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Messages;

/// <summary>
/// A message as the broker holds it inside one entity (queue, subscription, dead-letter sub-queue, or a topic's
/// scheduled set). Mutable, and only touched under the broker's lock.
/// </summary>
internal sealed class BrokerMessage : IFilterMessage
{
    private byte[]? body = [];

    /// <summary>The payload. A waiting message beyond the broker's window keeps its body only in the store
    /// (<see cref="EvictBody"/>); the broker loads it back before anything reads it, so reading it while evicted is a bug.</summary>
    public byte[] Body
    {
        get => body ?? throw new InvalidOperationException($"The body of message {SequenceNumber} is in the store only; load it first.");
        set
        {
            body = value;
            BodyLocation = null;
        }
    }

    /// <summary>False once the body lives only in the store.</summary>
    public bool HasBodyInMemory => body is not null;

    /// <summary>The body, or null when it is in the store only (what a store write passes: null keeps the stored one).</summary>
    internal byte[]? BodyIfInMemory => body;

    /// <summary>Where the store keeps the body while it is not in memory: storage path and sequence number.</summary>
    internal (string StoragePath, long SequenceNumber)? BodyLocation { get; private set; }

    /// <summary>Drops the body from memory; <paramref name="storagePath"/> + this sequence number is its row in the store.</summary>
    internal void EvictBody(string storagePath)
    {
        BodyLocation = (storagePath, SequenceNumber);
        body = null;
    }

    internal void EvictBodyAt((string StoragePath, long SequenceNumber) location)
    {
        BodyLocation = location;
        body = null;
    }
    public string? ContentType { get; set; }
    public string? MessageId { get; set; }
    public string? CorrelationId { get; set; }
    public string? SessionId { get; set; }
    public string? ReplyTo { get; set; }
    public string? ReplyToSessionId { get; set; }
    public string? To { get; set; }
    public string? Subject { get; set; }
    public string? PartitionKey { get; set; }
    public TimeSpan TimeToLive { get; set; } = TimeSpan.MaxValue;
    public DateTimeOffset? ScheduledEnqueueTime { get; set; }
    public Dictionary<string, object?> ApplicationProperties { get; set; } = new(StringComparer.Ordinal);

    public long SequenceNumber { get; set; }
    public long EnqueuedSequenceNumber { get; set; }
    public DateTimeOffset EnqueuedTime { get; set; }
    public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    /// <summary>Abandons and lock expiries so far; the delivery count a receiver sees is one more.</summary>
    public int FailedDeliveries { get; set; }
    public ServiceBusMessageState State { get; set; }
    public Guid? LockToken { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public string? DeadLetterSource { get; set; }
    /// <summary>Auto-forward hops taken so far (limit 4, https://learn.microsoft.com/azure/service-bus-messaging/service-bus-auto-forwarding).</summary>
    public int TransferHopCount { get; set; }

    public static BrokerMessage FromSent(ServiceBusMessage message)
    {
        var copy = new BrokerMessage
        {
            Body = message.Body.ToArray(),
            ContentType = message.ContentType,
            MessageId = message.MessageId,
            CorrelationId = message.CorrelationId,
            SessionId = message.SessionId,
            ReplyTo = message.ReplyTo,
            ReplyToSessionId = message.ReplyToSessionId,
            To = message.To,
            Subject = message.Subject,
            PartitionKey = message.PartitionKey,
            TimeToLive = message.TimeToLive,
            ScheduledEnqueueTime = message.ScheduledEnqueueTime,
        };
        foreach (var (key, value) in message.ApplicationProperties) copy.ApplicationProperties[key] = value;
        return copy;
    }

    public BrokerMessage Clone()
    {
        var copy = (BrokerMessage)MemberwiseClone();
        copy.ApplicationProperties = new Dictionary<string, object?>(ApplicationProperties, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>Payload plus system and user properties, as the size limit counts them (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas).
    /// Strings count their UTF-8 bytes; other values 8 bytes, 16 for Guid/decimal.</summary>
    public int Size
    {
        get
        {
            static int Text(string? s) => s is null ? 0 : Encoding.UTF8.GetByteCount(s);
            var size = Body.Length + Text(ContentType) + Text(MessageId) + Text(CorrelationId) + Text(SessionId) + Text(ReplyTo)
                + Text(ReplyToSessionId) + Text(To) + Text(Subject) + Text(PartitionKey);
            foreach (var (key, value) in ApplicationProperties)
            {
                size += Text(key) + value switch
                {
                    null => 0,
                    string s => Text(s),
                    Guid or decimal => 16,
                    Uri u => Text(u.ToString()),
                    _ => 8,
                };
            }
            return size;
        }
    }

    public ServiceBusReceivedMessage ToReceived(string entityPath, bool withLock) => new()
    {
        Body = Body.ToArray(),
        ContentType = ContentType,
        MessageId = MessageId,
        CorrelationId = CorrelationId,
        SessionId = SessionId,
        ReplyTo = ReplyTo,
        ReplyToSessionId = ReplyToSessionId,
        To = To,
        Subject = Subject,
        PartitionKey = PartitionKey,
        TimeToLive = TimeToLive,
        ScheduledEnqueueTime = ScheduledEnqueueTime ?? default,
        ApplicationProperties = new Dictionary<string, object?>(ApplicationProperties, StringComparer.Ordinal),
        SequenceNumber = SequenceNumber,
        EnqueuedSequenceNumber = EnqueuedSequenceNumber,
        EnqueuedTime = EnqueuedTime,
        ExpiresAt = ExpiresAt,
        DeliveryCount = FailedDeliveries + 1,
        LockToken = withLock && LockToken is Guid token ? token.ToString() : "",
        LockedUntil = withLock ? LockedUntil ?? default : default,
        DeadLetterSource = DeadLetterSource,
        State = State,
        EntityPath = entityPath,
    };

    bool IFilterMessage.TryGetSystemProperty(string name, out object? value) => SystemProperties.TryGet(this, name, out value);

    bool IFilterMessage.TryGetUserProperty(string name, out object? value) =>
        PropertyLookup.TryGet(ApplicationProperties, name, out value, out _);

    void IFilterMessage.SetUserProperty(string name, object? value)
    {
        PropertyLookup.TryGet(ApplicationProperties, name, out _, out var existing);
        ApplicationProperties[existing ?? name] = value;
    }

    void IFilterMessage.RemoveUserProperty(string name)
    {
        if (PropertyLookup.TryGet(ApplicationProperties, name, out _, out var existing)) ApplicationProperties.Remove(existing!);
    }

    void IFilterMessage.SetSystemProperty(string name, object? value) => SystemProperties.Set(this, name, value);
}

/// <summary>The broker property names filters and actions use with <c>sys.</c> (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messages-payloads).</summary>
internal static class SystemProperties
{
    /// <summary>Names a filter may read, with the value type a case file must give (null type = string).</summary>
    public static readonly IReadOnlyDictionary<string, Type> Readable = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["MessageId"] = typeof(string), ["CorrelationId"] = typeof(string), ["SessionId"] = typeof(string),
        ["Label"] = typeof(string), ["To"] = typeof(string), ["ReplyTo"] = typeof(string),
        ["ReplyToSessionId"] = typeof(string), ["ContentType"] = typeof(string), ["PartitionKey"] = typeof(string),
        ["ViaPartitionKey"] = typeof(string), ["DeadLetterSource"] = typeof(string),
        ["TimeToLive"] = typeof(TimeSpan), ["ScheduledEnqueueTimeUtc"] = typeof(DateTime), ["EnqueuedTimeUtc"] = typeof(DateTime),
        ["ExpiresAtUtc"] = typeof(DateTime), ["LockedUntilUtc"] = typeof(DateTime),
        ["SequenceNumber"] = typeof(long), ["EnqueuedSequenceNumber"] = typeof(long), ["DeliveryCount"] = typeof(long),
        ["Size"] = typeof(long), ["State"] = typeof(string), ["ForcePersistence"] = typeof(bool), ["LockToken"] = typeof(Guid),
    };

    public static bool TryGet(BrokerMessage m, string name, out object? value)
    {
        value = name.ToLowerInvariant() switch
        {
            "messageid" => m.MessageId,
            "correlationid" => m.CorrelationId,
            "sessionid" => m.SessionId,
            "label" => m.Subject,
            "to" => m.To,
            "replyto" => m.ReplyTo,
            "replytosessionid" => m.ReplyToSessionId,
            "contenttype" => m.ContentType,
            "partitionkey" => m.PartitionKey,
            "viapartitionkey" => null,
            "deadlettersource" => m.DeadLetterSource,
            "timetolive" => m.TimeToLive,
            "scheduledenqueuetimeutc" => m.ScheduledEnqueueTime?.UtcDateTime,
            "enqueuedtimeutc" => m.EnqueuedTime.UtcDateTime,
            "expiresatutc" => m.ExpiresAt == DateTimeOffset.MaxValue ? DateTime.MaxValue : m.ExpiresAt.UtcDateTime,
            "lockeduntilutc" => m.LockedUntil?.UtcDateTime,
            "sequencenumber" => m.SequenceNumber,
            "enqueuedsequencenumber" => m.EnqueuedSequenceNumber,
            "deliverycount" => (long)(m.FailedDeliveries + 1),
            "size" => (long)m.Size,
            "state" => m.State.ToString(),
            "forcepersistence" => false,
            "locktoken" => m.LockToken,
            _ => Missing,
        };
        if (ReferenceEquals(value, Missing)) { value = null; return false; }
        return true;
    }

    private static readonly object Missing = new();

    public static void Set(BrokerMessage m, string name, object? value)
    {
        string? Text() => value switch
        {
            null => null,
            string s => s,
            _ => throw new FilterException($"Cannot assign a value of type '{SqlValues.TypeName(value)}' to sys.{name}; it takes a string."),
        };
        switch (name.ToLowerInvariant())
        {
            case "messageid": m.MessageId = Text(); break;
            case "correlationid": m.CorrelationId = Text(); break;
            case "sessionid": m.SessionId = Text(); break;
            case "label": m.Subject = Text(); break;
            case "to": m.To = Text(); break;
            case "replyto": m.ReplyTo = Text(); break;
            case "replytosessionid": m.ReplyToSessionId = Text(); break;
            case "contenttype": m.ContentType = Text(); break;
            case "partitionkey": m.PartitionKey = Text(); break;
            case "timetolive":
                m.TimeToLive = value switch
                {
                    null => TimeSpan.MaxValue,
                    TimeSpan t => t,
                    _ => throw new FilterException($"Cannot assign a value of type '{SqlValues.TypeName(value)}' to sys.TimeToLive."),
                };
                break;
            case "scheduledenqueuetimeutc":
                break; // documented: an action's ScheduledEnqueueTime is ignored
            default:
                if (Readable.ContainsKey(name)) throw new FilterException($"The system property sys.{name} is read-only.");
                throw new FilterException($"Property 'sys.{name}' does not exist.");
        }
    }
}
