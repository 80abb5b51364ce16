using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Expressions.Conformance;

/// <summary>
/// How a conformance case's <c>expected</c> is compared with a result (Cases/README.md): numbers by value (integer
/// 3 equals float 3.0; <c>approx</c> allows float rounding), objects ignoring key order, strings with ICU's
/// U+202F taken as a space. The file gives binary content as the base64 the docs show and XML results as XML
/// text, so a binary envelope <c>{"$content-type","$content"}</c> matches a string equal to its base64
/// content, or its decoded text (XML compared structurally).
/// </summary>
internal static class ConformanceComparer
{
    public static bool Matches(JToken expected, JToken actual, string? compare)
    {
        if (actual is JObject envelope && expected.Type == JTokenType.String && TryEnvelope(envelope, out var contentType, out var base64))
            return MatchesEnvelope((string)expected!, contentType, base64);

        switch (expected.Type)
        {
            case JTokenType.Null:
                return actual.Type == JTokenType.Null;
            case JTokenType.Integer:
            case JTokenType.Float:
                if (actual.Type is not (JTokenType.Integer or JTokenType.Float)) return false;
                var e = expected.Value<double>();
                var a = actual.Value<double>();
                if (compare == "approx") return Math.Abs(e - a) <= 1e-9 * Math.Max(1, Math.Abs(e));
                return e == a;
            case JTokenType.String:
                return actual.Type == JTokenType.String && Normalise((string)expected!) == Normalise((string)actual!);
            case JTokenType.Boolean:
                return actual.Type == JTokenType.Boolean && (bool)expected == (bool)actual;
            case JTokenType.Array:
                if (actual is not JArray actualArray) return false;
                var expectedArray = (JArray)expected;
                if (expectedArray.Count != actualArray.Count) return false;
                for (var i = 0; i < expectedArray.Count; i++)
                    if (!Matches(expectedArray[i], actualArray[i], compare)) return false;
                return true;
            case JTokenType.Object:
                if (actual is not JObject actualObject) return false;
                var expectedObject = (JObject)expected;
                if (expectedObject.Count != actualObject.Count) return false;
                foreach (var property in expectedObject.Properties())
                {
                    if (!actualObject.TryGetValue(property.Name, out var value)) return false;
                    if (!Matches(property.Value, value, compare)) return false;
                }
                return true;
            default:
                return JToken.DeepEquals(expected, actual);
        }
    }

    private static string Normalise(string text) => text.Replace('\u202F', ' ');

    private static bool TryEnvelope(JObject obj, out string contentType, out string base64)
    {
        contentType = (string?)obj["$content-type"] ?? "";
        base64 = (string?)obj["$content"] ?? "";
        return obj.Count == 2 && obj["$content-type"] is not null && obj["$content"] is not null;
    }

    private static bool MatchesEnvelope(string expected, string contentType, string base64)
    {
        if (expected == base64) return true;
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        if (expected == text) return true;
        if (!contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            return XNode.DeepEquals(XElement.Parse(expected), XElement.Parse(StripDeclaration(text)));
        }
        catch (System.Xml.XmlException)
        {
            return false;
        }
    }

    private static string StripDeclaration(string xml)
    {
        var trimmed = xml.TrimStart();
        if (!trimmed.StartsWith("<?xml", StringComparison.Ordinal)) return trimmed;
        var end = trimmed.IndexOf("?>", StringComparison.Ordinal);
        return end < 0 ? trimmed : trimmed[(end + 2)..];
    }
}
