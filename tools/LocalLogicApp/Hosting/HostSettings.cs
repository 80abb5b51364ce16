using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Hosting;

/// <summary>
/// The runtime's host settings of <c>host.json</c> (<c>extensions.workflow.settings</c>), the ones the local host
/// honours. See https://learn.microsoft.com/azure/logic-apps/edit-app-settings-host-settings ("Manage host settings - host.json").
/// </summary>
public sealed record HostSettings(IReadOnlyDictionary<string, string> Values)
{
    public const string FileName = "host.json";

    /// <summary>How long run history is kept after a run starts ("Run duration and history": default 90 days).</summary>
    public const string FlowRetentionThreshold = "Runtime.FlowRetentionThreshold";

    public static HostSettings Read(string projectRoot)
    {
        var file = Path.Combine(projectRoot, FileName);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(file)) return new HostSettings(values);
        JObject json;
        try
        {
            json = JObject.Parse(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{file} is not valid JSON: {ex.Message}", ex);
        }
        var settings = json.SelectToken("extensions.workflow.settings") as JObject
                       ?? json.SelectToken("extensions.workflow.Settings") as JObject;
        foreach (var property in settings?.Properties() ?? [])
        {
            values[property.Name] = property.Value.Type == JTokenType.String ? (string)property.Value! : property.Value.ToString(Formatting.None);
        }
        return new HostSettings(values);
    }

    /// <summary>A <c>d.hh:mm:ss</c> setting; <paramref name="fallback"/> when absent; a clear error when malformed.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        if (!Values.TryGetValue(name, out var text)) return fallback;
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"host.json setting '{name}' is '{text}', which is not a positive duration like '90.00:00:00'.");
    }
}
