using System.Text;
using ServiceBus.Local.Filters;

namespace ServiceBus.Local.Messages;

/// <summary>
/// A message as the broker holds it inside one entity (queue, subscription, dead-letter sub-queue, or a topic's
/// scheduled set). Mutable, and only touched under the broker's lock.
/// It is two parts: the fields that receive ordering, sessions, locks, TTL and scheduling need (kept for every message
/// the broker holds), and the payload: body, sender-set and broker-set properties that only a receiver, a peek, a
/// filter or a move reads. A waiting message beyond the broker's window gives its payload back to the store
/// (<see cref="EvictPayload"/>); the broker reads it back before anything reads it, so reading a payload property
/// while it is evicted is a bug and throws.
/// </summary>
internal sealed class BrokerMessage : IFilterMessage
{
    // Every waiting message of a backlog is one of these (a million at the default topic quota), so its fields are
    // packed: the payload or, once evicted, the storage path of its row in one field; times as UTC ticks; small counts as
    // bytes (80 bytes an object, 96 before; docs/runtime/service-bus.md, "A backlog lives in the store").
    private object payloadOrStoredAt = new MessagePayload();

    private MessagePayload? LoadedPayload => payloadOrStoredAt as MessagePayload;

    /// <summary>False once the payload (body and properties) lives only in the store.</summary>
    public bool HasPayloadInMemory => payloadOrStoredAt is MessagePayload;

    /// <summary>The storage path of the row that holds the evicted payload (with <see cref="SequenceNumber"/>), or null while it is in memory.</summary>
    internal string? PayloadStoredAt => payloadOrStoredAt as string;

    /// <summary>The body, or null when it is in the store only (what a store write passes: null keeps the stored one).</summary>
    internal byte[]? BodyIfInMemory => LoadedPayload?.Body;

    /// <summary>The storage path at which a store write carrying this message's body has been handed over (or which it
    /// was loaded from), or null: later writes at that place pass no body, so a lock, renewal or abandon rewrites only
    /// the small document. A storage path and a sequence number name one message, whose body never changes.</summary>
    internal string? BodyStoredAt { get; set; }

    /// <summary>Drops the payload from memory; <paramref name="storagePath"/> + this sequence number is its row in the store.</summary>
    internal void EvictPayload(string storagePath) => payloadOrStoredAt = storagePath;

    /// <summary>Takes the payload of <paramref name="stored"/> (this message as read back from the store); the fields
    /// kept in memory stay as they are (they are never older than the store's).</summary>
    internal void RestorePayload(BrokerMessage stored) => payloadOrStoredAt = stored.Payload;

    private MessagePayload Payload => LoadedPayload ?? PayloadMissing();

    private MessagePayload PayloadMissing() =>
        throw new InvalidOperationException($"The payload of message {SequenceNumber} is in the store only; load it first.");

    // ---- Payload: in memory only inside the window, while locked, or while the broker works on the message ----

    public byte[] Body { get => Payload.Body; set => Payload.Body = value; }
    public string? ContentType { get => Payload.ContentType; set => Payload.ContentType = value; }
    public string? MessageId { get => Payload.MessageId; set => Payload.MessageId = value; }
    public string? CorrelationId { get => Payload.CorrelationId; set => Payload.CorrelationId = value; }
    public string? ReplyTo { get => Payload.ReplyTo; set => Payload.ReplyTo = value; }
    public string? ReplyToSessionId { get => Payload.ReplyToSessionId; set => Payload.ReplyToSessionId = value; }
    public string? To { get => Payload.To; set => Payload.To = value; }
    public string? Subject { get => Payload.Subject; set => Payload.Subject = value; }
    public string? PartitionKey { get => Payload.PartitionKey; set => Payload.PartitionKey = value; }
    public TimeSpan TimeToLive { get => Payload.TimeToLive; set => Payload.TimeToLive = value; }
    public Dictionary<string, object?> ApplicationProperties { get => Payload.ApplicationProperties; set => Payload.ApplicationProperties = value; }
    public long EnqueuedSequenceNumber { get => Payload.EnqueuedSequenceNumber; set => Payload.EnqueuedSequenceNumber = value; }
    public DateTimeOffset EnqueuedTime { get => Payload.EnqueuedTime; set => Payload.EnqueuedTime = value; }
    public string? DeadLetterSource { get => Payload.DeadLetterSource; set => Payload.DeadLetterSource = value; }
    /// <summary>In the payload too: scheduled messages never give theirs back (a restart reads them back at once).</summary>
    public DateTimeOffset? ScheduledEnqueueTime { get => Payload.ScheduledEnqueueTime; set => Payload.ScheduledEnqueueTime = value; }

    // ---- Always in memory: what ordering, sessions, locks, TTL and scheduling need ----

    public string? SessionId { get; set; }
    public long SequenceNumber { get; set; }

    private long expiresAtUtcTicks = DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>In UTC (an offset given is kept as the same instant).</summary>
    public DateTimeOffset ExpiresAt
    {
        get => new(expiresAtUtcTicks, TimeSpan.Zero);
        set => expiresAtUtcTicks = value.UtcTicks;
    }

    /// <summary>Abandons and lock expiries so far; the delivery count a receiver sees is one more.</summary>
    public int FailedDeliveries { get; set; }

    private byte state;

    public ServiceBusMessageState State { get => (ServiceBusMessageState)state; set => state = (byte)value; }

    /// <summary>Null while the message is not locked (most of a backlog): the lock's two fields live apart.</summary>
    private MessageLock? heldLock;

    public Guid? LockToken
    {
        get => heldLock?.Token;
        set => SetLock(value, LockedUntil);
    }

    public DateTimeOffset? LockedUntil
    {
        get => heldLock?.Until;
        set => SetLock(LockToken, value);
    }

    private void SetLock(Guid? token, DateTimeOffset? until) =>
        heldLock = token is null && until is null ? null : new MessageLock(token, until);

    public void Lock(Guid token, DateTimeOffset until) => heldLock = new MessageLock(token, until);

    public void Unlock() => heldLock = null;

    private sealed record MessageLock(Guid? Token, DateTimeOffset? Until);
    /// <summary>Auto-forward hops taken so far (limit 4, https://learn.microsoft.com/azure/service-bus-messaging/service-bus-auto-forwarding).</summary>
    public int TransferHopCount { get => transferHopCount; set => transferHopCount = (byte)Math.Clamp(value, 0, byte.MaxValue); }

    private byte transferHopCount;

    /// <summary>What this message counts toward its entity's size quota: its <see cref="Size"/> when it was put where it
    /// is (kept in memory and in the store, so a message whose payload is in the store only, or that comes back after
    /// a restart without its body, is taken off the quota by what it added).</summary>
    public int CountedSize { get; set; }

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

    /// <summary>A copy with its own payload (the body array is shared: the broker never changes one in place).</summary>
    public BrokerMessage Clone()
    {
        var copy = (BrokerMessage)MemberwiseClone();
        if (LoadedPayload is { } own) copy.payloadOrStoredAt = own.Clone();
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

    /// <summary>The part of a message the broker keeps only while it needs it.</summary>
    private sealed class MessagePayload
    {
        public byte[] Body = [];
        public string? ContentType;
        public string? MessageId;
        public string? CorrelationId;
        public string? ReplyTo;
        public string? ReplyToSessionId;
        public string? To;
        public string? Subject;
        public string? PartitionKey;
        public TimeSpan TimeToLive = TimeSpan.MaxValue;
        public Dictionary<string, object?> ApplicationProperties = new(StringComparer.Ordinal);
        public long EnqueuedSequenceNumber;
        public DateTimeOffset EnqueuedTime;
        public string? DeadLetterSource;
        public DateTimeOffset? ScheduledEnqueueTime;

        public MessagePayload Clone()
        {
            var copy = (MessagePayload)MemberwiseClone();
            copy.ApplicationProperties = new Dictionary<string, object?>(ApplicationProperties, StringComparer.Ordinal);
            return copy;
        }
    }

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
