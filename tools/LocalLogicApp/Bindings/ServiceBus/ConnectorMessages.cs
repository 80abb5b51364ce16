using System.Globalization;
using System.Text;
using Formatting = Newtonsoft.Json.Formatting;
using XmlConvert = System.Xml.XmlConvert;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using ServiceBus.Local.Messages;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>
/// Converts between the built-in Service Bus connector's message objects (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus/ <c>sendMessage</c>
/// <c>message</c>, trigger output item) and the local broker's messages.
/// <para><c>contentData</c> on receive reproduces what the built-in trigger is documented to hand over
/// (Azure/logicapps issues #817, #536): content type exactly <c>application/json</c> → the JSON value itself; no content type →
/// the body as a string; any other content type (including <c>application/json; charset=utf-8</c>) →
/// <c>{"$content-type": ..., "$content": base64}</c>, the envelope Logic Apps uses for binary content.</para>
/// </summary>
public static class ConnectorMessages
{
    public const string JsonContentType = "application/json";

    /// <summary>A <c>sendMessage</c> <c>message</c> object as a broker message.</summary>
    /// <exception cref="FormatException">A field has a value the connector would refuse.</exception>
    public static ServiceBusMessage ToBrokerMessage(JToken? connectorMessage)
    {
        if (connectorMessage is not JObject m)
        {
            throw new FormatException($"The 'message' parameter must be an object with 'contentData' and optional properties, not {Describe(connectorMessage)}.");
        }
        var message = new ServiceBusMessage(Body(m["contentData"]))
        {
            ContentType = Text(m, "contentType"),
            MessageId = Text(m, "messageId"),
            CorrelationId = Text(m, "correlationId"),
            SessionId = Text(m, "sessionId"),
            To = Text(m, "to"),
            ReplyTo = Text(m, "replyTo"),
            ReplyToSessionId = Text(m, "replyToSession"),
            Subject = Text(m, "label"),
        };
        if (Text(m, "timeToLive") is { } ttl) message.TimeToLive = Duration(ttl, "timeToLive");
        if (Text(m, "scheduledEnqueueTimeUtc") is { } scheduled)
        {
            message.ScheduledEnqueueTime = DateTimeOffset.TryParse(scheduled, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw new FormatException($"'scheduledEnqueueTimeUtc' must be an ISO 8601 date and time, not '{scheduled}'.");
        }
        if (m["userProperties"] is JObject properties)
        {
            foreach (var property in properties.Properties()) message.ApplicationProperties[property.Name] = PropertyValue(property.Value);
        }
        else if (m["userProperties"] is { Type: not JTokenType.Null } other)
        {
            throw new FormatException($"'userProperties' must be an object of name/value pairs, not {Describe(other)}.");
        }
        return message;
    }

    /// <summary>A received message as the built-in trigger's output item (and the settle actions' lock token).</summary>
    public static JObject ToConnectorMessage(ServiceBusReceivedMessage m)
    {
        // Built property by property (not with the indexer, which looks each name up first); the order is the connector's.
        var item = new JObject();
        Add(item, "contentData", ContentData(m.Body, m.ContentType));
        Add(item, "contentType", m.ContentType);
        Add(item, "sessionId", m.SessionId);
        var userProperties = new JObject();
        foreach (var (name, value) in m.ApplicationProperties) Add(userProperties, name, PropertyToken(value));
        Add(item, "userProperties", userProperties);
        Add(item, "messageId", m.MessageId);
        Add(item, "lockToken", string.IsNullOrEmpty(m.LockToken) ? null : m.LockToken);
        Add(item, "to", m.To);
        Add(item, "replyTo", m.ReplyTo);
        Add(item, "replyToSession", m.ReplyToSessionId);
        Add(item, "label", m.Subject);
        Add(item, "scheduledEnqueueTimeUtc", m.ScheduledEnqueueTime == default ? null : Utc(m.ScheduledEnqueueTime));
        Add(item, "correlationId", m.CorrelationId);
        Add(item, "timeToLive", m.TimeToLive.ToString("c", CultureInfo.InvariantCulture));
        Add(item, "deadletterSource", m.DeadLetterSource);
        Add(item, "deliveryCount", new JValue(m.DeliveryCount));
        Add(item, "enqueuedSequenceNumber", new JValue(m.EnqueuedSequenceNumber));
        Add(item, "enqueuedTimeUtc", Utc(m.EnqueuedTime));
        Add(item, "lockedUntilUtc", m.LockedUntil == default ? null : Utc(m.LockedUntil));
        Add(item, "sequenceNumber", new JValue(m.SequenceNumber));
        return item;
    }

    private static void Add(JObject target, string name, JToken value) => target.Add(new JProperty(name, value));

    // A string property the message lacks is a JSON null, as the indexer made it.
    private static void Add(JObject target, string name, string? value) => target.Add(new JProperty(name, new JValue(value)));

    /// <summary>The three documented <c>contentData</c> shapes (see the class summary).</summary>
    public static JToken ContentData(ReadOnlyMemory<byte> body, string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return Encoding.UTF8.GetString(body.Span);
        if (string.Equals(contentType, JsonContentType, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                // Parsed for each subscription the message reaches: parsing once and copying per subscriber was measured and
                // not kept (docs/runtime/local-app.md, "Design: a message body per subscriber"). Read from the bytes
                // as they are (JsonContent.Parse of UTF-8): the same tokens as from the text.
                return JsonContent.Parse(body.Span);
            }
            catch (JsonException)
            {
                // Labelled JSON but is not: hand the text over rather than lose the message.
                return Encoding.UTF8.GetString(body.Span);
            }
        }
        return new JObject { ["$content-type"] = contentType, ["$content"] = Convert.ToBase64String(body.Span) };
    }

    private static byte[] Body(JToken? contentData) => contentData switch
    {
        null or { Type: JTokenType.Null or JTokenType.Undefined } => [],
        JValue { Type: JTokenType.String } text => Encoding.UTF8.GetBytes((string)text!),
        JObject envelope when envelope["$content"] is JValue { Type: JTokenType.String } content && envelope.ContainsKey("$content-type")
            => Convert.FromBase64String((string)content!),
        _ => Encoding.UTF8.GetBytes(contentData.ToString(Formatting.None)),
    };

    private static object? PropertyValue(JToken value) => value switch
    {
        JValue { Type: JTokenType.String } v => (string?)v,
        JValue { Type: JTokenType.Integer } v => (long)v,
        JValue { Type: JTokenType.Float } v => (double)v,
        JValue { Type: JTokenType.Boolean } v => (bool)v,
        JValue { Type: JTokenType.Null } => null,
        _ => value.ToString(Formatting.None),
    };

    private static JToken PropertyToken(object? value) => value switch
    {
        null => JValue.CreateNull(),
        string s => s,
        bool b => b,
        DateTimeOffset d => Utc(d),
        DateTime d => Utc(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Guid or Uri or char => value.ToString()!,
        IConvertible number => JToken.FromObject(number),
        _ => value.ToString() ?? "",
    };

    private static TimeSpan Duration(string text, string name)
    {
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)) return span;
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"'{name}' must be a duration like '01:00:00' or 'PT1H', not '{text}'.");
        }
    }

    private static string? Text(JObject m, string name) => m[name] switch
    {
        null or { Type: JTokenType.Null or JTokenType.Undefined } => null,
        JValue { Type: JTokenType.String } v => (string?)v is { Length: > 0 } s ? s : null,
        JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture),
        var other => other.ToString(Formatting.None),
    };

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static string Describe(JToken? token) => token is null ? "nothing" : token.Type.ToString().ToLowerInvariant();
}
