using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Monitoring;

/// <summary>
/// Which Application Insights telemetry host.json lets the Functions host sample away. Learn, "host.json reference
/// for Azure Functions 2.x and later", section applicationInsights.samplingSettings
/// (https://learn.microsoft.com/azure/azure-functions/functions-host-json#applicationinsightssamplingsettings):
/// <c>isEnabled</c> defaults to true; <c>excludedTypes</c> is "a semi-colon delimited list of types that you don't want
/// to be sampled ... All instances of the specified types are transmitted; the types that aren't specified are
/// sampled"; <c>includedTypes</c> lists the types to sample (empty: all), and <c>excludedTypes</c> overrides it.
/// </summary>
public static class TelemetrySampling
{
    /// <summary>The telemetry type whose rows each Application Insights table holds.</summary>
    public static readonly IReadOnlyDictionary<string, string> TypeOfTable = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["requests"] = "Request",
        ["traces"] = "Trace",
        ["exceptions"] = "Exception",
        ["dependencies"] = "Dependency",
        ["customEvents"] = "Event",
        ["pageViews"] = "PageView",
    };

    /// <summary>True when the host may drop rows of <paramref name="telemetryType"/>, so counting them undercounts.</summary>
    public static bool IsSampled(JObject host, string telemetryType)
    {
        var settings = host.SelectToken("logging.applicationInsights.samplingSettings") as JObject;
        if (settings?["isEnabled"] is { Type: JTokenType.Boolean } enabled && !(bool)enabled) return false;
        if (Types(settings?["excludedTypes"]).Contains(telemetryType)) return false;
        var included = Types(settings?["includedTypes"]);
        return included.Count == 0 || included.Contains(telemetryType);
    }

    /// <summary>One problem per query that reads a table whose telemetry the host samples.</summary>
    public static IReadOnlyList<string> Problems(JObject host, IEnumerable<(string Source, IReadOnlySet<string> Tables)> queries) =>
        queries.SelectMany(q => q.Tables.Where(TypeOfTable.ContainsKey).Order(StringComparer.Ordinal)
                .Where(table => IsSampled(host, TypeOfTable[table]))
                .Select(table => $"{q.Source}: reads '{table}', whose {TypeOfTable[table]} telemetry host.json samples; its counts would be estimates. Add {TypeOfTable[table]} to logging.applicationInsights.samplingSettings.excludedTypes."))
            .ToList();

    private static HashSet<string> Types(JToken? list) =>
        ((string?)list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
