using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Hosting;

/// <summary>
/// The app settings the local host runs with, layered like func does it and in this order: the committed
/// template (<c>local.settings.template.json</c>), the developer's own <c>local.settings.json</c> if any, then
/// the local host's overrides (stand-in URLs, storage folder), which always win because they point at things
/// only this process knows (free ports).
/// </summary>
public static class LocalAppSettings
{
    public const string TemplateFileName = "local.settings.template.json";
    public const string LocalFileName = "local.settings.json";

    public static Dictionary<string, string> Compose(string projectRoot, IReadOnlyDictionary<string, string> overrides)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { TemplateFileName, LocalFileName })
        {
            foreach (var (key, value) in ReadValues(Path.Combine(projectRoot, file))) settings[key] = value;
        }
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    /// <summary>The <c>Values</c> of a local.settings-shaped file (missing file: none).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ReadValues(string file)
    {
        if (!File.Exists(file)) yield break;
        JObject json;
        try
        {
            json = JObject.Parse(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{file} is not valid JSON: {ex.Message}", ex);
        }
        if (json["Values"] is not JObject values) yield break;
        foreach (var property in values.Properties())
        {
            yield return new(property.Name, property.Value.Type == JTokenType.String ? (string)property.Value! : property.Value.ToString(Formatting.None));
        }
    }
}
