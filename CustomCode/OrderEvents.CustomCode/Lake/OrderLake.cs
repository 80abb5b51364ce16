using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Lake;

/// <summary>Where a lake write went. <see cref="Created"/> is false for a redelivery (same content already there)
/// and for a <see cref="Conflict"/> (different content already there: kept, never overwritten).</summary>
public sealed record LakeWriteOutcome(string Container, string? Path, bool Created, bool Conflict, IReadOnlyList<ContractError> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// The Data Lake layout, written create-if-absent so a redelivered message neither duplicates nor overwrites:
/// <list type="bullet">
/// <item>orders: <c>orders/{eventType}/v{major}/year=YYYY/month=MM/day=DD/hour=HH/{messageId}.json</c>, partitioned by
/// the event's <c>occurredUtc</c> converted to UTC (Hive-style <c>key=value</c> folders that Spark, Synapse and
/// Fabric read as partition columns);</item>
/// <item>dead letters: <c>deadletters/{subscriber}/year=YYYY/month=MM/day=DD/{messageId or seq-N}.json</c> holding
/// the body, every property, the reason, the description and the source subscription.</item>
/// </list>
/// </summary>
public sealed partial class OrderLake
{
    public const string OrdersRoot = "orders";
    public const string DeadLettersRoot = "deadletters";
    public const string TopicName = "orders";
    private const string ContentType = "application/json";

    /// <summary>Fields of a received message that differ on every delivery of the same message: kept in the archive
    /// but not compared, so a redelivered dead letter is recognised as the same one.</summary>
    private static readonly string[] DeliveryFields = ["lockToken", "lockedUntilUtc", "deliveryCount"];

    private static readonly JsonSerializerSettings ReadSettings = new() { DateParseHandling = DateParseHandling.None };

    private readonly IObjectStore store;
    private readonly TimeProvider clock;

    public OrderLake(IObjectStore store, TimeProvider clock, string container)
    {
        ObjectNames.ValidateContainer(container);
        this.store = store;
        this.clock = clock;
        Container = container;
    }

    public string Container { get; }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventTypePattern();

    [GeneratedRegex(@"^(\d{1,4})(\.\d{1,4}){0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaVersionPattern();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SubscriberPattern();

    public static string OrderPath(string eventType, int majorVersion, DateTimeOffset occurred, string messageId)
    {
        var utc = occurred.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{OrdersRoot}/{eventType}/v{majorVersion}/year={utc:yyyy}/month={utc:MM}/day={utc:dd}/hour={utc:HH}/{ObjectNames.ToSafeSegment(messageId)}.json");
    }

    public static string DeadLetterPath(string subscriber, DateTimeOffset enqueued, string fileStem)
    {
        var utc = enqueued.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{DeadLettersRoot}/{subscriber}/year={utc:yyyy}/month={utc:MM}/day={utc:dd}/{fileStem}.json");
    }

    /// <summary>Stores a contract-valid order event (the JSON as received) at its partition path.</summary>
    public Task<LakeWriteOutcome> WriteOrderAsync(JToken? orderEvent, CancellationToken cancellationToken = default) =>
        WriteOrderAsync(orderEvent, appended: null, cancellationToken);

    /// <summary>Stores a contract-valid order event at its partition path with one more top-level property (a subscriber's
    /// <c>audit</c>): the file holds what <c>copy[name] = value</c> on a copy of the event would hold (a property of that
    /// name in the event keeps its place and takes the value; otherwise it comes last), written from the event itself
    /// without copying it.</summary>
    public async Task<LakeWriteOutcome> WriteOrderAsync(JToken? orderEvent, (string Name, JToken Value)? appended, CancellationToken cancellationToken = default)
    {
        var problems = new List<ContractError>();
        if (orderEvent is not JObject order)
        {
            problems.Add(new ContractError("orderEvent", "NotAnObject", $"The order event must be a JSON object, not {JsonValues.Describe(orderEvent)}."));
            return new LakeWriteOutcome(Container, null, false, false, problems);
        }
        var messageId = RequireString(order, "messageId", problems);
        var eventType = RequireString(order, "eventType", problems);
        if (eventType is not null && !EventTypePattern().IsMatch(eventType))
        {
            problems.Add(new ContractError("orderEvent.eventType", "InvalidEventType", $"The eventType '{eventType}' is not a plain name (a letter, then up to 63 letters or digits)."));
        }
        var schemaVersion = RequireString(order, "schemaVersion", problems);
        var major = 0;
        if (schemaVersion is not null)
        {
            var match = SchemaVersionPattern().Match(schemaVersion);
            if (match.Success)
            {
                major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else
            {
                problems.Add(new ContractError("orderEvent.schemaVersion", "InvalidSchemaVersion", $"The schemaVersion '{schemaVersion}' is not 'major[.minor[.patch]]'."));
            }
        }
        var occurred = ReadInstant(order, "occurredUtc");
        if (occurred is null)
        {
            problems.Add(new ContractError("orderEvent.occurredUtc", "InvalidTimestamp", "occurredUtc is missing or not an ISO 8601 date-time; it decides the partition."));
        }
        if (problems.Count > 0)
        {
            return new LakeWriteOutcome(Container, null, false, false, problems);
        }

        var path = OrderPath(eventType!, major, occurred!.Value, messageId!);
        return await CreateOrCompareAsync(path, Utf8(order, appended), ignoredFields: [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Archives a dead letter as the built-in Service Bus trigger delivers it (contentData, messageId,
    /// sequenceNumber, enqueuedTimeUtc, userProperties with DeadLetterReason/DeadLetterErrorDescription, ...).</summary>
    public async Task<LakeWriteOutcome> ArchiveDeadLetterAsync(string? subscriber, JToken? deadLetter, CancellationToken cancellationToken = default)
    {
        var problems = new List<ContractError>();
        if (string.IsNullOrEmpty(subscriber) || !SubscriberPattern().IsMatch(subscriber))
        {
            problems.Add(new ContractError("subscriber", "InvalidSubscriber", $"The subscriber '{subscriber}' is invalid: use the subscription name (e.g. 'sap-fulfillment')."));
        }
        if (deadLetter is not JObject message)
        {
            problems.Add(new ContractError("deadLetter", "NotAnObject", $"The dead letter must be the Service Bus trigger's message object, not {JsonValues.Describe(deadLetter)}."));
            return new LakeWriteOutcome(Container, null, false, false, problems);
        }
        var messageId = message.Value<JToken>("messageId")?.Type == JTokenType.String ? message.Value<string>("messageId") : null;
        var sequenceNumber = message.Value<JToken>("sequenceNumber") is { Type: JTokenType.Integer or JTokenType.String } seq
            && long.TryParse(seq.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : (long?)null;
        if (string.IsNullOrEmpty(messageId) && sequenceNumber is null)
        {
            problems.Add(new ContractError("deadLetter", "MissingIdentity", "The dead letter has neither a messageId nor a sequenceNumber to name its archive file."));
        }
        if (problems.Count > 0)
        {
            return new LakeWriteOutcome(Container, null, false, false, problems);
        }

        var userProperties = message["userProperties"] as JObject;
        var archive = new JObject
        {
            ["subscriber"] = subscriber,
            ["sourceSubscription"] = message.Value<string>("deadletterSource") is { Length: > 0 } source ? source : $"{TopicName}/subscriptions/{subscriber}",
            ["reason"] = userProperties?["DeadLetterReason"]?.DeepClone() ?? JValue.CreateNull(),
            ["description"] = userProperties?["DeadLetterErrorDescription"]?.DeepClone() ?? JValue.CreateNull(),
            ["messageId"] = messageId,
            ["sequenceNumber"] = sequenceNumber,
            ["body"] = message["contentData"]?.DeepClone() ?? JValue.CreateNull(),
            ["properties"] = new JObject(message.Properties().Where(p => !DeliveryFields.Contains(p.Name)).Select(p => new JProperty(p.Name, p.Value.DeepClone()))),
            ["delivery"] = new JObject(message.Properties().Where(p => DeliveryFields.Contains(p.Name)).Select(p => new JProperty(p.Name, p.Value.DeepClone()))),
        };
        archive["delivery"]!["archivedUtc"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        // Redeliveries keep their enqueue time, so they land on the same day as the first delivery.
        var day = ReadInstant(message, "enqueuedTimeUtc") ?? clock.GetUtcNow();
        var stem = !string.IsNullOrEmpty(messageId) ? ObjectNames.ToSafeSegment(messageId) : $"seq-{sequenceNumber}";
        var path = DeadLetterPath(subscriber!, day, stem);
        var bytes = Utf8(archive, appended: null);
        var outcome = await CreateOrCompareAsync(path, bytes, ignoredFields: ["delivery"], cancellationToken).ConfigureAwait(false);
        if (outcome.Conflict && sequenceNumber is not null && !string.IsNullOrEmpty(messageId))
        {
            // The same business message dead-lettered again (e.g. after a resubmit): a dead letter is evidence, so
            // keep this one next to the first instead of dropping it.
            var second = await CreateOrCompareAsync(DeadLetterPath(subscriber!, day, $"{stem}.seq-{sequenceNumber}"), bytes, ["delivery"], cancellationToken).ConfigureAwait(false);
            return second with { Conflict = true };
        }
        return outcome;
    }

    /// <summary>The compact JSON of <paramref name="document"/> (<c>ToString(Formatting.None)</c>) as UTF-8, with
    /// <paramref name="appended"/> set as <c>document[name] = value</c> would set it on a copy.</summary>
    private static byte[] Utf8(JObject document, (string Name, JToken Value)? appended)
    {
        if (appended is null) return Utf8Text.CompactJson(document);
        var (name, value) = appended.Value;
        var text = Utf8Text.Rent();
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            var replaced = false;
            writer.WriteStartObject();
            for (var property = document.First as JProperty; property is not null; property = property.Next as JProperty)
            {
                writer.WritePropertyName(property.Name);
                if (property.Name == name)
                {
                    value.WriteTo(writer);
                    replaced = true;
                }
                else
                {
                    property.Value.WriteTo(writer);
                }
            }
            if (!replaced)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Utf8Text.ToUtf8(text);
    }

    private async Task<LakeWriteOutcome> CreateOrCompareAsync(string path, byte[] bytes, string[] ignoredFields, CancellationToken cancellationToken)
    {
        if (await store.TryCreateAsync(Container, path, bytes, ContentType, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new LakeWriteOutcome(Container, path, true, false, []);
        }
        var existing = await store.ReadAsync(Container, path, cancellationToken).ConfigureAwait(false);
        var same = existing is not null && SameContent(existing.Content, bytes, ignoredFields);
        return new LakeWriteOutcome(Container, path, false, !same, []);
    }

    /// <summary>Same JSON, ignoring property order, formatting and <paramref name="ignoredFields"/> at the top level.</summary>
    private static bool SameContent(ReadOnlyMemory<byte> stored, byte[] written, string[] ignoredFields)
    {
        if (stored.Span.SequenceEqual(written))
        {
            return true;
        }
        try
        {
            var left = JsonConvert.DeserializeObject<JToken>(Encoding.UTF8.GetString(stored.Span), ReadSettings);
            var right = JsonConvert.DeserializeObject<JToken>(Encoding.UTF8.GetString(written), ReadSettings);
            foreach (var field in ignoredFields)
            {
                (left as JObject)?.Remove(field);
                (right as JObject)?.Remove(field);
            }
            return JToken.DeepEquals(left, right);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? RequireString(JObject order, string field, List<ContractError> problems)
    {
        var token = order[field];
        if (token?.Type == JTokenType.String && ((string)token!).Length > 0)
        {
            return (string)token!;
        }
        problems.Add(new ContractError($"orderEvent.{field}", "MissingField", $"{field} is missing or not a non-empty string; the lake path needs it."));
        return null;
    }

    /// <summary>The instant a partition or archive name is built from: a date alone ("2025-03-01") is not one.</summary>
    private static DateTimeOffset? ReadInstant(JObject source, string field) =>
        source[field] is JValue { Type: JTokenType.String, Value: string text } && !text.Contains('T') ? null : OrderEventJson.ReadInstant(source[field]);
}
