using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using ServiceBus.Amqp.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Amqp.Messages;

/// <summary>
/// Service Bus messages on the wire: the AMQP 1.0 message format (OASIS AMQP 1.0 part 3.2: header, message-annotations,
/// properties, application-properties, data) with Service Bus's mapping of its properties onto it ("AMQP 1.0 in Azure
/// Service Bus and Event Hubs protocol guide", section "Messages";
/// https://learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-protocol-guide#messages): SessionId is
/// group-id, Subject is subject, TimeToLive is header ttl, broker state travels in <c>x-opt-*</c> message annotations.
/// </summary>
public static class AmqpMessageCodec
{
    public const string SequenceNumber = "x-opt-sequence-number";
    public const string EnqueuedTime = "x-opt-enqueued-time";
    public const string LockedUntil = "x-opt-locked-until";
    public const string ScheduledEnqueueTime = "x-opt-scheduled-enqueue-time";
    public const string PartitionKey = "x-opt-partition-key";
    public const string ViaPartitionKey = "x-opt-via-partition-key";
    public const string EnqueueSequenceNumber = "x-opt-enqueue-sequence-number";
    public const string DeadLetterSource = "x-opt-deadletter-source";
    public const string MessageState = "x-opt-message-state";

    /// <summary>Message format of a batch: every Data section of the body is one whole encoded message
    /// (Microsoft's vendor message format 0x80013700, protocol guide "Batching").</summary>
    public const uint BatchMessageFormat = 0x80013700;

    // How the .NET client encodes the .NET types AMQP has no type for (Azure.Messaging.ServiceBus AmqpMessageConstants).
    private const string DateTimeOffsetDescriptor = "com.microsoft:datetime-offset";
    private const string TimeSpanDescriptor = "com.microsoft:timespan";
    private const string UriDescriptor = "com.microsoft:uri";

    /// <summary>The messages one transfer carries: a batch is split into its messages.</summary>
    public static IReadOnlyList<ServiceBusMessage> Decode(AmqpMessage transfer)
    {
        if (transfer.MessageFormat == BatchMessageFormat)
        {
            var messages = new List<ServiceBusMessage>();
            foreach (var data in transfer.DataBody ?? [])
            {
                using var inner = Parse(BytesOf(data.Value));
                messages.Add(ToBrokerMessage(inner));
            }
            return messages;
        }
        return [ToBrokerMessage(transfer)];
    }

    /// <summary>An encoded AMQP message (as carried in a batch's Data section or a management request's <c>message</c>).</summary>
    public static AmqpMessage Parse(byte[] encoded)
    {
        var message = AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(encoded)]));
        message.Deserialize(SectionFlag.All);
        return message;
    }

    public static ServiceBusMessage ToBrokerMessage(AmqpMessage amqp)
    {
        var message = new ServiceBusMessage(Body(amqp));
        var sections = amqp.Sections;
        if ((sections & SectionFlag.Properties) != 0)
        {
            var p = amqp.Properties;
            message.MessageId = p.MessageId?.ToString();
            message.CorrelationId = p.CorrelationId?.ToString();
            message.To = p.To?.ToString();
            message.ReplyTo = p.ReplyTo?.ToString();
            message.Subject = p.Subject;
            message.ContentType = p.ContentType.Value;
            message.SessionId = p.GroupId;
            message.ReplyToSessionId = p.ReplyToGroupId;
        }
        if ((sections & SectionFlag.Header) != 0 && amqp.Header.Ttl is uint ttl)
        {
            message.TimeToLive = TimeSpan.FromMilliseconds(ttl);
        }
        if ((sections & SectionFlag.MessageAnnotations) != 0)
        {
            var annotations = amqp.MessageAnnotations.Map;
            if (annotations.TryGetValue<DateTime>(ScheduledEnqueueTime, out var scheduled) && scheduled > DateTime.MinValue)
                message.ScheduledEnqueueTime = new DateTimeOffset(DateTime.SpecifyKind(scheduled, DateTimeKind.Utc));
            if (annotations.TryGetValue<string>(PartitionKey, out var partitionKey)) message.PartitionKey = partitionKey;
        }
        if ((sections & SectionFlag.ApplicationProperties) != 0)
        {
            foreach (var (key, value) in amqp.ApplicationProperties.Map)
                message.ApplicationProperties[key.ToString()] = FromAmqpValue(key.ToString(), value);
        }
        return message;
    }

    /// <summary>A received or peeked message as Service Bus delivers it. Header delivery-count is the number of earlier
    /// failed deliveries (the client adds one for a received message, protocol guide "Messages").</summary>
    public static AmqpMessage ToAmqpMessage(ServiceBusReceivedMessage m, bool locked)
    {
        var amqp = AmqpMessage.Create(new Data { Value = new ArraySegment<byte>(m.Body.ToArray()) });
        amqp.Properties.MessageId = m.MessageId;
        if (m.CorrelationId is not null) amqp.Properties.CorrelationId = m.CorrelationId;
        if (m.To is not null) amqp.Properties.To = m.To;
        if (m.ReplyTo is not null) amqp.Properties.ReplyTo = m.ReplyTo;
        amqp.Properties.Subject = m.Subject;
        if (m.ContentType is not null) amqp.Properties.ContentType = m.ContentType;
        amqp.Properties.GroupId = m.SessionId;
        amqp.Properties.ReplyToGroupId = m.ReplyToSessionId;
        amqp.Header.DeliveryCount = (uint)Math.Max(0, m.DeliveryCount - 1);
        if (m.TimeToLive > TimeSpan.Zero && m.TimeToLive.TotalMilliseconds < uint.MaxValue)
        {
            amqp.Header.Ttl = (uint)m.TimeToLive.TotalMilliseconds;
            amqp.Properties.CreationTime = m.EnqueuedTime.UtcDateTime;
            amqp.Properties.AbsoluteExpiryTime = m.ExpiresAt == DateTimeOffset.MaxValue ? DateTime.MaxValue : m.ExpiresAt.UtcDateTime;
        }

        var annotations = amqp.MessageAnnotations.Map;
        annotations[SequenceNumber] = m.SequenceNumber;
        annotations[EnqueuedTime] = m.EnqueuedTime.UtcDateTime;
        if (m.EnqueuedSequenceNumber != 0) annotations[EnqueueSequenceNumber] = m.EnqueuedSequenceNumber;
        if (locked) annotations[LockedUntil] = m.LockedUntil.UtcDateTime;
        if (m.PartitionKey is not null) annotations[PartitionKey] = m.PartitionKey;
        if (m.DeadLetterSource is not null) annotations[DeadLetterSource] = m.DeadLetterSource;
        if (m.State == ServiceBusMessageState.Scheduled) annotations[ScheduledEnqueueTime] = m.ScheduledEnqueueTime.UtcDateTime;
        annotations[MessageState] = (int)m.State;

        if (m.ApplicationProperties.Count > 0)
        {
            amqp.ApplicationProperties = new ApplicationProperties();
            foreach (var (key, value) in m.ApplicationProperties) amqp.ApplicationProperties.Map[key] = ToAmqpValue(value);
        }
        return amqp;
    }

    /// <summary>The message's AMQP encoding (for the <c>message</c> field of management replies).</summary>
    public static byte[] Encode(AmqpMessage message)
    {
        using var stream = message.ToStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Properties to modify on abandon, defer and dead-letter, as the client sends them.</summary>
    public static Dictionary<string, object?>? PropertiesOf(Fields? fields)
    {
        if (fields is null || fields.Count == 0) return null;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in fields) result[key.ToString()] = FromAmqpValue(key.ToString(), value);
        return result;
    }

    public static Dictionary<string, object?>? PropertiesOf(AmqpMap? map)
    {
        if (map is null || map.Count == 0) return null;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map) result[key.ToString()] = FromAmqpValue(key.ToString(), value);
        return result;
    }

    public static object? ToAmqpValue(object? value) => value switch
    {
        DateTimeOffset d => new DescribedType((AmqpSymbol)DateTimeOffsetDescriptor, d.UtcTicks),
        TimeSpan t => new DescribedType((AmqpSymbol)TimeSpanDescriptor, t.Ticks),
        Uri u => new DescribedType((AmqpSymbol)UriDescriptor, u.AbsoluteUri),
        _ => value,
    };

    public static object? FromAmqpValue(string key, object? value) => value switch
    {
        AmqpSymbol symbol => symbol.Value,
        DescribedType { Descriptor: AmqpSymbol { Value: DateTimeOffsetDescriptor }, Value: long ticks } => new DateTimeOffset(ticks, TimeSpan.Zero),
        DescribedType { Descriptor: AmqpSymbol { Value: TimeSpanDescriptor }, Value: long ticks } => new TimeSpan(ticks),
        DescribedType { Descriptor: AmqpSymbol { Value: UriDescriptor }, Value: string uri } => new Uri(uri),
        null or string or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or char or Guid => value,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        _ => throw ServiceBusErrors.Argument(
            $"The application property '{key}' has a value of AMQP type '{value.GetType().Name}', which the local broker does not store (binary, list and map values are not supported)."),
    };

    private static byte[] Body(AmqpMessage amqp)
    {
        var sections = amqp.BodyType;
        if ((sections & SectionFlag.Data) != 0 && amqp.DataBody is { } data)
        {
            using var buffer = new MemoryStream();
            foreach (var section in data)
            {
                var bytes = BytesOf(section.Value);
                buffer.Write(bytes, 0, bytes.Length);
            }
            return buffer.ToArray();
        }
        if ((sections & SectionFlag.AmqpValue) != 0 && amqp.ValueBody?.Value is { } value)
        {
            return value switch
            {
                ArraySegment<byte> binary => binary.ToArray(),
                string text => System.Text.Encoding.UTF8.GetBytes(text),
                _ => throw ServiceBusErrors.NotImplemented(
                    $"An amqp-value body of type '{value.GetType().Name}' is not supported by the local broker; send the body as data (binary) or a string."),
            };
        }
        if ((sections & SectionFlag.AmqpSequence) != 0)
            throw ServiceBusErrors.NotImplemented("amqp-sequence bodies are not supported by the local broker; send the body as data (binary).");
        return [];
    }

    private static byte[] BytesOf(object? value) => value switch
    {
        ArraySegment<byte> segment => segment.ToArray(),
        byte[] bytes => bytes,
        null => [],
        _ => throw ServiceBusErrors.Argument($"Expected binary data, found '{value.GetType().Name}'."),
    };
}
