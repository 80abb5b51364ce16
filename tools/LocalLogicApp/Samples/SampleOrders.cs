using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Samples;

/// <summary>A sample message of <c>Artifacts/Samples/</c>: its raw text (sent unchanged, so broken JSON stays broken).</summary>
public sealed record SampleOrder(string Name, string File, bool IsValid, string Text)
{
    /// <summary>The parsed body, or null when the sample is not JSON (some invalid samples are not).</summary>
    public JToken? Json
    {
        get
        {
            try
            {
                using var reader = new JsonTextReader(new StringReader(Text)) { DateParseHandling = DateParseHandling.None };
                return JToken.ReadFrom(reader);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public string? EventType => (Json as JObject)?.Value<string>("eventType");
    public string? MessageId => (Json as JObject)?.Value<string>("messageId");
    public string? OrderId => (Json as JObject)?["data"]?.Type == JTokenType.Object ? Json!["data"]!.Value<string>("orderId") : null;
}

/// <summary>
/// The sample orders the contracts area keeps in <c>Artifacts/Samples/valid</c> and <c>.../invalid</c>
/// (each invalid sample has a <c>.expected.json</c> beside it, which is not a message). Valid samples come
/// in business order: every OrderCreated before the OrderUpdated and OrderCancelled that follow it.
/// </summary>
public static class SampleOrders
{
    public const string Folder = "Artifacts/Samples";

    private static readonly string[] EventOrder = ["OrderCreated", "OrderUpdated", "OrderCancelled"];

    public static IReadOnlyList<SampleOrder> Valid(string projectRoot) =>
        Read(Path.Combine(projectRoot, Folder, "valid"), isValid: true)
            .OrderBy(s => Array.IndexOf(EventOrder, s.EventType ?? "") is var i && i >= 0 ? i : EventOrder.Length)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToArray();

    public static IReadOnlyList<SampleOrder> Invalid(string projectRoot) =>
        Read(Path.Combine(projectRoot, Folder, "invalid"), isValid: false).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();

    private static IEnumerable<SampleOrder> Read(string folder, bool isValid)
    {
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            if (file.EndsWith(".expected.json", StringComparison.OrdinalIgnoreCase)) continue;
            yield return new SampleOrder(Path.GetFileNameWithoutExtension(file), file, isValid, File.ReadAllText(file));
        }
    }
}
