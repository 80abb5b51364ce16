using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>Compares the Service Bus entities an expanded template deploys with the ones a parameter file lists.</summary>
public static class ServiceBusTopologyCheck
{
    private static readonly string[] EntityTypes =
    [
        "Microsoft.ServiceBus/namespaces/queues",
        "Microsoft.ServiceBus/namespaces/topics",
        "Microsoft.ServiceBus/namespaces/topics/subscriptions",
        "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules",
    ];

    /// <summary>Each difference as a sentence; empty when the template deploys exactly the listed entities.</summary>
    public static IReadOnlyList<string> Differences(IEnumerable<ArmResource> resources, JObject parameterFile)
    {
        var expected = new Dictionary<string, JToken>(StringComparer.Ordinal);
        void Expect(string type, string path, JToken? properties) => expected[$"{type} {path}"] = properties ?? new JObject();
        var parameters = parameterFile["parameters"]!;
        foreach (var q in parameters["serviceBusQueues"]!["value"]!) Expect(EntityTypes[0], (string)q["name"]!, q["properties"]);
        foreach (var t in parameters["serviceBusTopics"]!["value"]!) Expect(EntityTypes[1], (string)t["name"]!, t["properties"]);
        foreach (var s in parameters["serviceBusSubscriptions"]!["value"]!) Expect(EntityTypes[2], $"{s["topic"]}/{s["name"]}", s["properties"]);
        foreach (var r in parameters["serviceBusRules"]!["value"]!) Expect(EntityTypes[3], $"{r["topic"]}/{r["subscription"]}/{r["name"]}", r["properties"]);

        var differences = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources.Where(r => EntityTypes.Contains(r.Type, StringComparer.OrdinalIgnoreCase)))
        {
            // The first name segment is the namespace; the rest is the entity path inside it.
            var path = resource.Name[(resource.Name.IndexOf('/') + 1)..];
            var key = $"{resource.Type} {path}";
            if (!seen.Add(key)) { differences.Add($"{key} is deployed twice."); continue; }
            if (!expected.TryGetValue(key, out var properties)) { differences.Add($"{key} is deployed but not in the topology."); continue; }
            var deployed = resource.Json["properties"] ?? new JObject();
            if (!JToken.DeepEquals(deployed, properties))
            {
                differences.Add($"{key} is deployed with {deployed.ToString(Newtonsoft.Json.Formatting.None)} but the topology says {properties.ToString(Newtonsoft.Json.Formatting.None)}.");
            }
        }
        differences.AddRange(expected.Keys.Where(k => !seen.Contains(k)).Select(k => $"{k} is in the topology but not deployed."));
        return differences;
    }
}
