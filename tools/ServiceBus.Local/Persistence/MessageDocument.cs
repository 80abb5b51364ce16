using System.Globalization;
using Newtonsoft.Json;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Persistence;

/// <summary>A broker message as JSON for the stores, keeping each application property's .NET type.</summary>
internal static class MessageDocument
{
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
    /// written with one (<paramref name="bodyInDocument"/>); when neither has it the message comes back with its payload
    /// evicted at <paramref name="storagePath"/> (what ordering, sessions, locks and due times need stays).</summary>
    public static BrokerMessage Read(string document, byte[]? body, string storagePath, long sequenceNumber, out bool bodyInDocument)
    {
        var m = Read(document, out var legacy);
        bodyInDocument = legacy is not null;
        if (body is not null) m.Body = body;
        else if (legacy is not null) m.Body = legacy;
        else m.EvictPayload(storagePath);
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

    /// <summary>Reads a document straight from its text (no intermediate JSON tree): a receive deep in a backlog reads
    /// its message back from the store, so this is on the receive path.</summary>
    private static BrokerMessage Read(string document, out byte[]? legacyBody)
    {
        legacyBody = null;
        var m = new BrokerMessage();
        using var r = new JsonTextReader(new StringReader(document)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Expect(r.Read() && r.TokenType == JsonToken.StartObject);
        while (r.Read() && r.TokenType == JsonToken.PropertyName)
        {
            var name = (string)r.Value!;
            if (name == "applicationProperties")
            {
                Expect(r.Read());
                if (r.TokenType == JsonToken.StartObject) ReadApplicationProperties(r, m.ApplicationProperties);
                continue;
            }
            Expect(r.Read());
            var value = r.Value;
            string? Text() => (string?)value;
            long Number() => Convert.ToInt64(value, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "body": legacyBody = Text() is { } b ? Convert.FromBase64String(b) : null; break;
                case "contentType": m.ContentType = Text(); break;
                case "messageId": m.MessageId = Text(); break;
                case "correlationId": m.CorrelationId = Text(); break;
                case "sessionId": m.SessionId = Text(); break;
                case "replyTo": m.ReplyTo = Text(); break;
                case "replyToSessionId": m.ReplyToSessionId = Text(); break;
                case "to": m.To = Text(); break;
                case "subject": m.Subject = Text(); break;
                case "partitionKey": m.PartitionKey = Text(); break;
                case "timeToLive": m.TimeToLive = TimeSpan.FromTicks(Number()); break;
                case "scheduledEnqueueTime": m.ScheduledEnqueueTime = Text() is { } s ? Time(s) : null; break;
                case "sequenceNumber": m.SequenceNumber = Number(); break;
                case "enqueuedSequenceNumber": m.EnqueuedSequenceNumber = Number(); break;
                case "enqueuedTime": m.EnqueuedTime = Time(Text()!); break;
                case "expiresAt": m.ExpiresAt = Time(Text()!); break;
                case "failedDeliveries": m.FailedDeliveries = (int)Number(); break;
                case "state": m.State = Enum.Parse<ServiceBusMessageState>(Text()!); break;
                case "lockToken": m.LockToken = Text() is { } t ? Guid.Parse(t) : null; break;
                case "lockedUntil": m.LockedUntil = Text() is { } u ? Time(u) : null; break;
                case "deadLetterSource": m.DeadLetterSource = Text(); break;
                case "transferHopCount": m.TransferHopCount = (int)Number(); break;
                default: if (r.TokenType is JsonToken.StartObject or JsonToken.StartArray) r.Skip(); break;
            }
        }
        return m;
    }

    /// <summary><c>{"name": {"type": "Int32", "value": "42"}, …}</c>, the reader on its opening brace.</summary>
    private static void ReadApplicationProperties(JsonTextReader r, Dictionary<string, object?> properties)
    {
        while (r.Read() && r.TokenType == JsonToken.PropertyName)
        {
            var name = (string)r.Value!;
            Expect(r.Read() && r.TokenType == JsonToken.StartObject);
            string? type = null, value = null;
            while (r.Read() && r.TokenType == JsonToken.PropertyName)
            {
                var field = (string)r.Value!;
                var text = r.ReadAsString();
                if (field == "type") type = text;
                else if (field == "value") value = text;
            }
            properties[name] = PropertyValueCodec.Decode(type ?? throw new FormatException($"Stored property '{name}' has no type."), value);
        }
    }

    private static void Expect(bool condition)
    {
        if (!condition) throw new FormatException("A stored message document is not a JSON object of the expected shape.");
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
