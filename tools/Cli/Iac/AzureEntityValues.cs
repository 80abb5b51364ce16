using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using ServiceBus.Local.Entities;

namespace Cli.Iac;

/// <summary>
/// What Azure gets instead of Config.json's values that the Service Bus emulator's schema caps
/// (<c>deploy/servicebus/Azure.json</c>: times to live, duplicate detection), per entity kind. The IaC lays them over
/// Config.json when it deploys (<c>deploy/infra/modules/servicebus.bicep</c>); a tool that works on an Azure namespace
/// (the <c>deadletters</c> verb: its duplicate-detection window) lays them over the topology it reads the same way.
/// </summary>
public static class AzureEntityValues
{
    public const string RelativePath = "deploy/servicebus/Azure.json";

    private static readonly (string Kind, string Path)[] Kinds =
    [
        ("Queues", "UserConfig.Namespaces[*].Queues[*]"),
        ("Topics", "UserConfig.Namespaces[*].Topics[*]"),
        ("Subscriptions", "UserConfig.Namespaces[*].Topics[*].Subscriptions[*]"),
    ];

    /// <summary>A copy of <paramref name="config"/> with each kind's values of <paramref name="azure"/> set on every entity's Properties.</summary>
    public static JObject Apply(JObject config, JObject azure)
    {
        var result = (JObject)config.DeepClone();
        foreach (var (kind, path) in Kinds)
        {
            if (azure[kind] is not JObject values) continue;
            foreach (var entity in result.SelectTokens(path).OfType<JObject>())
            {
                var properties = entity["Properties"] as JObject ?? (JObject)(entity["Properties"] = new JObject());
                foreach (var value in values.Properties()) properties[value.Name] = value.Value.DeepClone();
            }
        }
        return result;
    }

    /// <summary>The topology as Azure holds it: <paramref name="configPath"/> with <paramref name="azurePath"/>'s values
    /// over it. A clear <see cref="TopologyException"/> when either file cannot be read.</summary>
    public static Topology LoadTopology(string configPath, string azurePath) =>
        TopologyLoader.Parse(Apply(Read(configPath), Read(azurePath)).ToString(Formatting.None));

    private static JObject Read(string path)
    {
        try
        {
            using var reader = new JsonTextReader(File.OpenText(path)) { DateParseHandling = DateParseHandling.None };
            return JObject.Load(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidCastException)
        {
            throw new TopologyException([new TopologyError(path, $"cannot read it as a JSON object: {ex.Message}")]);
        }
    }
}
