using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Persistence;

/// <summary>A broker message as JSON for the stores, keeping each application property's .NET type.</summary>
internal static class MessageDocument
{
    private static readonly JsonSerializerSettings Settings = new() { DateParseHandling = DateParseHandling.None };

    /// <summary>The body is not part of the document: the stores keep it beside it (SQLite: a BLOB column), written
    /// once and never rewritten when only the message's state changes. Documents written before that carry it as
    /// Base64 in <c>body</c>, which <see cref="Read"/> still accepts.
    /// Written straight to text (no intermediate JSON tree): the broker writes a message on every send, lock and
    /// settlement, and building a JObject for each was a tenth of everything a simulated day allocated.</summary>
    public static string Write(BrokerMessage m)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var w = new JsonTextWriter(text) { Formatting = Formatting.None, DateFormatHandling = DateFormatHandling.IsoDateFormat })
        {
            w.WriteStartObject();
            Property(w, "contentType", m.ContentType);
            Property(w, "messageId", m.MessageId);
            Property(w, "correlationId", m.CorrelationId);
            Property(w, "sessionId", m.SessionId);
            Property(w, "replyTo", m.ReplyTo);
            Property(w, "replyToSessionId", m.ReplyToSessionId);
            Property(w, "to", m.To);
            Property(w, "subject", m.Subject);
            Property(w, "partitionKey", m.PartitionKey);
            w.WritePropertyName("timeToLive");
            w.WriteValue(m.TimeToLive.Ticks);
            Property(w, "scheduledEnqueueTime", m.ScheduledEnqueueTime?.ToString("o", CultureInfo.InvariantCulture));
            w.WritePropertyName("sequenceNumber");
            w.WriteValue(m.SequenceNumber);
            w.WritePropertyName("enqueuedSequenceNumber");
            w.WriteValue(m.EnqueuedSequenceNumber);
            Property(w, "enqueuedTime", m.EnqueuedTime.ToString("o", CultureInfo.InvariantCulture));
            Property(w, "expiresAt", m.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
            w.WritePropertyName("failedDeliveries");
            w.WriteValue(m.FailedDeliveries);
            Property(w, "state", m.State.ToString());
            Property(w, "lockToken", m.LockToken?.ToString());
            Property(w, "lockedUntil", m.LockedUntil?.ToString("o", CultureInfo.InvariantCulture));
            Property(w, "deadLetterSource", m.DeadLetterSource);
            w.WritePropertyName("transferHopCount");
            w.WriteValue(m.TransferHopCount);
            w.WritePropertyName("applicationProperties");
            w.WriteStartObject();
            foreach (var (key, value) in m.ApplicationProperties)
            {
                var (type, encoded) = PropertyValueCodec.Encode(value);
                w.WritePropertyName(key);
                w.WriteStartObject();
                Property(w, "type", type);
                Property(w, "value", encoded);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return text.ToString();
    }

    private static void Property(JsonTextWriter writer, string name, string? value)
    {
        writer.WritePropertyName(name);
        writer.WriteValue(value);
    }

    /// <summary>Reads a document; the body comes from <paramref name="body"/>, or from the document itself when it was
    /// written with one (<paramref name="bodyInDocument"/>); when neither has it the message comes back with its body
    /// evicted at <paramref name="storagePath"/>.</summary>
    public static BrokerMessage Read(string document, byte[]? body, string storagePath, long sequenceNumber, out bool bodyInDocument)
    {
        var m = Read(document);
        var legacy = LegacyBody(document);
        bodyInDocument = legacy is not null;
        if (body is not null) m.Body = body;
        else if (legacy is not null) m.Body = legacy;
        else m.EvictBodyAt((storagePath, sequenceNumber));
        return m;
    }

    /// <summary>The Base64 body of a document written before bodies moved out of it, or null.</summary>
    public static byte[]? LegacyBody(string document)
    {
        if (!document.StartsWith("{\"body\":", StringComparison.Ordinal)) return null;
        using var reader = new JsonTextReader(new StringReader(document));
        reader.Read(); // {
        reader.Read(); // "body"
        var text = reader.ReadAsString();
        return text is null ? null : Convert.FromBase64String(text);
    }

    private static BrokerMessage Read(string document)
    {
        var o = JsonConvert.DeserializeObject<JObject>(document, Settings)!;
        static DateTimeOffset Time(JToken? t) => DateTimeOffset.Parse(t!.Value<string>()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var m = new BrokerMessage
        {
            ContentType = o.Value<string>("contentType"),
            MessageId = o.Value<string>("messageId"),
            CorrelationId = o.Value<string>("correlationId"),
            SessionId = o.Value<string>("sessionId"),
            ReplyTo = o.Value<string>("replyTo"),
            ReplyToSessionId = o.Value<string>("replyToSessionId"),
            To = o.Value<string>("to"),
            Subject = o.Value<string>("subject"),
            PartitionKey = o.Value<string>("partitionKey"),
            TimeToLive = TimeSpan.FromTicks(o.Value<long>("timeToLive")),
            ScheduledEnqueueTime = o["scheduledEnqueueTime"]?.Type == JTokenType.String ? Time(o["scheduledEnqueueTime"]) : null,
            SequenceNumber = o.Value<long>("sequenceNumber"),
            EnqueuedSequenceNumber = o.Value<long>("enqueuedSequenceNumber"),
            EnqueuedTime = Time(o["enqueuedTime"]),
            ExpiresAt = Time(o["expiresAt"]),
            FailedDeliveries = o.Value<int>("failedDeliveries"),
            State = Enum.Parse<ServiceBusMessageState>(o.Value<string>("state")!),
            LockToken = o["lockToken"]?.Type == JTokenType.String ? Guid.Parse(o.Value<string>("lockToken")!) : null,
            LockedUntil = o["lockedUntil"]?.Type == JTokenType.String ? Time(o["lockedUntil"]) : null,
            DeadLetterSource = o.Value<string>("deadLetterSource"),
            TransferHopCount = o.Value<int>("transferHopCount"),
        };
        if (o["applicationProperties"] is JObject props)
        {
            foreach (var p in props.Properties())
                m.ApplicationProperties[p.Name] = PropertyValueCodec.Decode(p.Value.Value<string>("type")!, p.Value.Value<string>("value"));
        }
        return m;
    }
}

/// <summary>The application property types the SDK accepts (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messages-payloads), written as (type, invariant text).</summary>
internal static class PropertyValueCodec
{
    public static bool IsSupported(object? value) => value is null or string or bool or byte or sbyte or short or ushort or int or uint
        or long or ulong or float or double or decimal or char or Guid or DateTime or DateTimeOffset or TimeSpan or Uri;

    public static (string Type, string? Text) Encode(object? value) => value switch
    {
        null => ("Null", null),
        string s => ("String", s),
        bool b => ("Boolean", b ? "true" : "false"),
        DateTime d => ("DateTime", d.ToString("o", CultureInfo.InvariantCulture)),
        DateTimeOffset d => ("DateTimeOffset", d.ToString("o", CultureInfo.InvariantCulture)),
        TimeSpan t => ("TimeSpan", t.ToString("c", CultureInfo.InvariantCulture)),
        float f => ("Single", f.ToString("R", CultureInfo.InvariantCulture)),
        double d => ("Double", d.ToString("R", CultureInfo.InvariantCulture)),
        Uri u => ("Uri", u.OriginalString),
        Guid g => ("Guid", g.ToString()),
        char c => ("Char", c.ToString()),
        IFormattable f => (value.GetType().Name, f.ToString(null, CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"Application property values of type '{value.GetType().Name}' are not supported."),
    };

    public static object? Decode(string type, string? text)
    {
        var c = CultureInfo.InvariantCulture;
        return type switch
        {
            "Null" => null,
            "String" => text,
            "Boolean" => text == "true",
            "DateTime" => DateTime.Parse(text!, c, DateTimeStyles.RoundtripKind),
            "DateTimeOffset" => DateTimeOffset.Parse(text!, c, DateTimeStyles.RoundtripKind),
            "TimeSpan" => TimeSpan.ParseExact(text!, "c", c),
            "Single" => float.Parse(text!, c),
            "Double" => double.Parse(text!, c),
            "Decimal" => decimal.Parse(text!, c),
            "Byte" => byte.Parse(text!, c),
            "SByte" => sbyte.Parse(text!, c),
            "Int16" => short.Parse(text!, c),
            "UInt16" => ushort.Parse(text!, c),
            "Int32" => int.Parse(text!, c),
            "UInt32" => uint.Parse(text!, c),
            "Int64" => long.Parse(text!, c),
            "UInt64" => ulong.Parse(text!, c),
            "Uri" => new Uri(text!, UriKind.RelativeOrAbsolute),
            "Guid" => Guid.Parse(text!),
            "Char" => text![0],
            _ => throw new FormatException($"Unknown stored property type '{type}'."),
        };
    }
}
