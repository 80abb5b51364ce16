using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Filters;

/// <summary>
/// Evaluates SQL filter cases from outside (the <c>servicebus filter-eval</c> verb): a JSON array of
/// <c>{"filter", "properties", "system"}</c> in, a JSON array of <c>{"match"}</c> or <c>{"error"}</c> out, same order.
/// </summary>
public static class FilterCaseEvaluator
{
    /// <summary>Throws <see cref="FormatException"/> when the document is not a JSON array.</summary>
    public static string EvaluateCases(string json)
    {
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double };
            root = JToken.ReadFrom(reader);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The case file is not valid JSON: {ex.Message}");
        }
        if (root is not JArray cases) throw new FormatException("The case file must hold a JSON array of {\"filter\", \"properties\", \"system\"} objects.");

        var results = new JArray();
        for (var i = 0; i < cases.Count; i++)
        {
            // A malformed entry answers for itself, so the output keeps the input's length and order.
            results.Add(cases[i] is JObject item ? Evaluate(item) : new JObject { ["error"] = $"Case {i} is not an object." });
        }
        return results.ToString(Formatting.Indented);
    }

    private static JObject Evaluate(JObject item)
    {
        try
        {
            var filterText = item["filter"]?.Type == JTokenType.String ? item.Value<string>("filter")! : throw new FilterException("The case has no \"filter\" string.");
            var message = new BrokerMessage();
            foreach (var p in Members(item, "properties")) message.ApplicationProperties[p.Name] = FromJson(p.Value);
            foreach (var p in Members(item, "system")) SetSystem(message, p.Name, p.Value);
            var filter = new SqlRuleFilter(filterText);
            return new JObject { ["match"] = filter.Matches(message) };
        }
        catch (FilterException ex)
        {
            return new JObject { ["error"] = ex.Message };
        }
    }

    /// <summary>The members of the case's optional object <paramref name="name"/>: absent or null is none; anything else
    /// that is not an object is the case's error (it used to be taken for no properties, so the filter saw none).</summary>
    private static IEnumerable<JProperty> Members(JObject item, string name) => item[name] switch
    {
        null or { Type: JTokenType.Null } => [],
        JObject members => members.Properties(),
        var other => throw new FilterException($"The case's \"{name}\" must be an object of name: value, not {other.Type.ToString().ToLowerInvariant()} {other.ToString(Formatting.None)}."),
    };

    private static void SetSystem(BrokerMessage message, string name, JToken token)
    {
        var key = name.Equals("Subject", StringComparison.OrdinalIgnoreCase) ? "Label" : name;
        if (!SystemProperties.Readable.TryGetValue(key, out var type))
            throw new FilterException($"'{name}' is not a system property (known: {string.Join(", ", SystemProperties.Readable.Keys)}).");
        if (token.Type == JTokenType.Null) return;
        var text = token.Type == JTokenType.String ? token.Value<string>()! : token.ToString(Formatting.None);
        try
        {
            switch (key.ToLowerInvariant())
            {
                case "timetolive": message.TimeToLive = TimeSpan.Parse(text, CultureInfo.InvariantCulture); break;
                case "scheduledenqueuetimeutc": message.ScheduledEnqueueTime = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal); break;
                case "enqueuedtimeutc": message.EnqueuedTime = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal); break;
                case "expiresatutc": message.ExpiresAt = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal); break;
                case "lockeduntilutc": message.LockedUntil = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal); break;
                case "sequencenumber": message.SequenceNumber = long.Parse(text, CultureInfo.InvariantCulture); break;
                case "enqueuedsequencenumber": message.EnqueuedSequenceNumber = long.Parse(text, CultureInfo.InvariantCulture); break;
                case "deliverycount": message.FailedDeliveries = int.Parse(text, CultureInfo.InvariantCulture) - 1; break;
                case "locktoken": message.LockToken = Guid.Parse(text); break;
                case "deadlettersource": message.DeadLetterSource = text; break;
                case "state": message.State = Enum.Parse<ServiceBusMessageState>(text, ignoreCase: true); break;
                case "size": case "forcepersistence": case "viapartitionkey": break; // derived or constant
                default: SystemProperties.Set(message, key, text); break;
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new FilterException($"System property '{name}' value '{text}' is not a valid {type.Name}.");
        }
    }

    /// <summary>JSON to a property value: integers as Int64, other numbers as Double, strings, booleans, null.</summary>
    internal static object? FromJson(JToken token) => token.Type switch
    {
        JTokenType.Integer => token.Value<long>(),
        JTokenType.Float => token.Value<double>(),
        JTokenType.String => token.Value<string>(),
        JTokenType.Boolean => token.Value<bool>(),
        JTokenType.Null or JTokenType.Undefined => null,
        _ => throw new FilterException($"Property value {token.ToString(Formatting.None)} is not a string, number, boolean or null."),
    };
}
