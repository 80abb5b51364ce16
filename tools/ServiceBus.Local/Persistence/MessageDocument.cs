using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Persistence;

/// <summary>A broker message as JSON (UTF-8) for the stores, keeping each application property's .NET type.</summary>
internal static class MessageDocument
{
    /// <summary>The body is not part of the document: the stores keep it beside it (SQLite: in the row, or in a table of
    /// its own when large), written once per place and never passed again when only the message's state changes. Documents written before that carry it as
    /// Base64 in <c>body</c>, which <see cref="Read"/> still accepts.
    /// Written as UTF-8 with System.Text.Json's <see cref="Utf8JsonWriter"/> into a buffer the caller reuses (the
    /// broker's writer thread writes a document for every send, lock and settlement): no JSON tree, no UTF-16 text to
    /// transcode, names pre-encoded. Same JSON shape as the text documents of earlier versions, which
    /// <see cref="Read"/> reads alike.</summary>
    public static byte[] Write(BrokerMessage m, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString(Names.ContentType, m.ContentType);
            w.WriteString(Names.MessageId, m.MessageId);
            w.WriteString(Names.CorrelationId, m.CorrelationId);
            w.WriteString(Names.SessionId, m.SessionId);
            w.WriteString(Names.ReplyTo, m.ReplyTo);
            w.WriteString(Names.ReplyToSessionId, m.ReplyToSessionId);
            w.WriteString(Names.To, m.To);
            w.WriteString(Names.Subject, m.Subject);
            w.WriteString(Names.PartitionKey, m.PartitionKey);
            w.WriteNumber(Names.TimeToLive, m.TimeToLive.Ticks);
            if (m.ScheduledEnqueueTime is { } scheduled) w.WriteString(Names.ScheduledEnqueueTime, scheduled);
            else w.WriteNull(Names.ScheduledEnqueueTime);
            w.WriteNumber(Names.SequenceNumber, m.SequenceNumber);
            w.WriteNumber(Names.EnqueuedSequenceNumber, m.EnqueuedSequenceNumber);
            w.WriteString(Names.EnqueuedTime, m.EnqueuedTime);
            w.WriteString(Names.ExpiresAt, m.ExpiresAt);
            w.WriteNumber(Names.FailedDeliveries, m.FailedDeliveries);
            w.WriteString(Names.State, StateNames[(int)m.State]);
            if (m.LockToken is { } token) w.WriteString(Names.LockToken, token);
            else w.WriteNull(Names.LockToken);
            if (m.LockedUntil is { } until) w.WriteString(Names.LockedUntil, until);
            else w.WriteNull(Names.LockedUntil);
            w.WriteString(Names.DeadLetterSource, m.DeadLetterSource);
            w.WriteNumber(Names.TransferHopCount, m.TransferHopCount);
            w.WriteNumber(Names.CountedSize, m.CountedSize);
            w.WriteStartObject(Names.ApplicationProperties);
            foreach (var (key, value) in m.ApplicationProperties)
            {
                var (type, encoded) = PropertyValueCodec.Encode(value);
                w.WriteStartObject(key);
                w.WriteString(Names.Type, type);
                w.WriteString(Names.Value, encoded);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Stored data, not HTML: only what JSON requires is escaped (quotes, backslashes, control characters), so
    /// the unicode names of the product's orders are written as they are. System.Text.Json writes dates in ISO 8601 with
    /// their offset ("o" round-trip form), as the text documents did.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly string[] StateNames = Enum.GetNames<ServiceBusMessageState>()
        .OrderBy(name => (int)Enum.Parse<ServiceBusMessageState>(name)).ToArray();

    private static class Names
    {
        public static readonly JsonEncodedText ContentType = JsonEncodedText.Encode("contentType");
        public static readonly JsonEncodedText MessageId = JsonEncodedText.Encode("messageId");
        public static readonly JsonEncodedText CorrelationId = JsonEncodedText.Encode("correlationId");
        public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sessionId");
        public static readonly JsonEncodedText ReplyTo = JsonEncodedText.Encode("replyTo");
        public static readonly JsonEncodedText ReplyToSessionId = JsonEncodedText.Encode("replyToSessionId");
        public static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
        public static readonly JsonEncodedText Subject = JsonEncodedText.Encode("subject");
        public static readonly JsonEncodedText PartitionKey = JsonEncodedText.Encode("partitionKey");
        public static readonly JsonEncodedText TimeToLive = JsonEncodedText.Encode("timeToLive");
        public static readonly JsonEncodedText ScheduledEnqueueTime = JsonEncodedText.Encode("scheduledEnqueueTime");
        public static readonly JsonEncodedText SequenceNumber = JsonEncodedText.Encode("sequenceNumber");
        public static readonly JsonEncodedText EnqueuedSequenceNumber = JsonEncodedText.Encode("enqueuedSequenceNumber");
        public static readonly JsonEncodedText EnqueuedTime = JsonEncodedText.Encode("enqueuedTime");
        public static readonly JsonEncodedText ExpiresAt = JsonEncodedText.Encode("expiresAt");
        public static readonly JsonEncodedText FailedDeliveries = JsonEncodedText.Encode("failedDeliveries");
        public static readonly JsonEncodedText State = JsonEncodedText.Encode("state");
        public static readonly JsonEncodedText LockToken = JsonEncodedText.Encode("lockToken");
        public static readonly JsonEncodedText LockedUntil = JsonEncodedText.Encode("lockedUntil");
        public static readonly JsonEncodedText DeadLetterSource = JsonEncodedText.Encode("deadLetterSource");
        public static readonly JsonEncodedText TransferHopCount = JsonEncodedText.Encode("transferHopCount");
        public static readonly JsonEncodedText CountedSize = JsonEncodedText.Encode("countedSize");
        public static readonly JsonEncodedText ApplicationProperties = JsonEncodedText.Encode("applicationProperties");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    }

    /// <summary>Reads a document; the body comes from <paramref name="body"/>, or from the document itself when it was
    /// written with one (<paramref name="bodyInDocument"/>); when neither has it the message comes back with its payload
    /// evicted at <paramref name="storagePath"/> (what ordering, sessions, locks and due times need stays).</summary>
    public static BrokerMessage Read(byte[] document, byte[]? body, string storagePath, long sequenceNumber, out bool bodyInDocument)
    {
        var m = Read(document, out var legacy);
        bodyInDocument = legacy is not null;
        if (body is not null) m.Body = body;
        else if (legacy is not null) m.Body = legacy;
        else m.EvictPayload(storagePath);
        return m;
    }

    /// <summary>Reads a document straight from its UTF-8 bytes with System.Text.Json's forward-only reader (no
    /// intermediate JSON tree): a receive deep in a backlog reads its message back from the store, so this is on the
    /// receive path, and Newtonsoft's reader took twice as long as writing the document.</summary>
    private static BrokerMessage Read(byte[] document, out byte[]? legacyBody, bool payloadOnly = false)
    {
        legacyBody = null;
        var m = new BrokerMessage();
        var r = new Utf8JsonReader(document);
        static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Span<char> nameBuffer = stackalloc char[32];
        Expect(r.Read() && r.TokenType == JsonTokenType.StartObject);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            // Names are matched without allocating a string for each (they are all short).
            ReadOnlySpan<char> name = r.ValueSpan.Length <= nameBuffer.Length ? nameBuffer[..r.CopyString(nameBuffer)] : r.GetString();
            Expect(r.Read());
            if (payloadOnly && IsKeptInMemory(name)) continue;
            if (name is "applicationProperties")
            {
                if (r.TokenType == JsonTokenType.StartObject) ReadApplicationProperties(ref r, m.ApplicationProperties);
                continue;
            }
            if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                r.Skip();
                continue;
            }
            var text = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            var number = r.TokenType == JsonTokenType.Number ? r.GetInt64() : 0;
            switch (name)
            {
                case "body": legacyBody = text is null ? null : Convert.FromBase64String(text); break;
                case "contentType": m.ContentType = text; break;
                case "messageId": m.MessageId = text; break;
                case "correlationId": m.CorrelationId = text; break;
                case "sessionId": m.SessionId = text; break;
                case "replyTo": m.ReplyTo = text; break;
                case "replyToSessionId": m.ReplyToSessionId = text; break;
                case "to": m.To = text; break;
                case "subject": m.Subject = text; break;
                case "partitionKey": m.PartitionKey = text; break;
                case "timeToLive": m.TimeToLive = TimeSpan.FromTicks(number); break;
                case "scheduledEnqueueTime": m.ScheduledEnqueueTime = text is null ? null : Time(text); break;
                case "sequenceNumber": m.SequenceNumber = number; break;
                case "enqueuedSequenceNumber": m.EnqueuedSequenceNumber = number; break;
                case "enqueuedTime": m.EnqueuedTime = Time(text!); break;
                case "expiresAt": m.ExpiresAt = Time(text!); break;
                case "failedDeliveries": m.FailedDeliveries = (int)number; break;
                case "state": m.State = Enum.Parse<ServiceBusMessageState>(text!); break;
                case "lockToken": m.LockToken = text is null ? null : Guid.Parse(text); break;
                case "lockedUntil": m.LockedUntil = text is null ? null : Time(text); break;
                case "deadLetterSource": m.DeadLetterSource = text; break;
                case "transferHopCount": m.TransferHopCount = (int)number; break;
                case "countedSize": m.CountedSize = (int)number; break;
            }
        }
        return m;
    }

    /// <summary>The fields a message keeps in memory while its payload is in the store: a read-back leaves them as they are.</summary>
    private static bool IsKeptInMemory(ReadOnlySpan<char> name) => name is "sessionId" or "sequenceNumber" or "expiresAt"
        or "failedDeliveries" or "state" or "lockToken" or "lockedUntil" or "transferHopCount" or "countedSize";

    /// <summary>The payload of a stored message (body, properties), for a message whose other fields are in memory.</summary>
    public static BrokerMessage ReadPayload(StoredMessage stored)
    {
        var m = Read(stored.Document, out var legacy, payloadOnly: true);
        m.Body = stored.Body ?? legacy ?? throw new InvalidOperationException($"The store has no body for message {stored.SequenceNumber} at '{stored.StoragePath}'.");
        return m;
    }

    /// <summary><c>{"name": {"type": "Int32", "value": "42"}, …}</c>, the reader on its opening brace.</summary>
    private static void ReadApplicationProperties(ref Utf8JsonReader r, Dictionary<string, object?> properties)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            Expect(r.Read() && r.TokenType == JsonTokenType.StartObject);
            string? type = null, value = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var isType = r.ValueTextEquals("type"u8);
                var isValue = !isType && r.ValueTextEquals("value"u8);
                Expect(r.Read());
                var text = r.TokenType == JsonTokenType.String ? r.GetString() : null;
                if (isType) type = text;
                else if (isValue) value = text;
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
