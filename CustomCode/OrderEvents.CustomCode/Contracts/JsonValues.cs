using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Contracts;

/// <summary>How error messages name the kind of JSON value they got.</summary>
public static class JsonValues
{
    /// <summary>"an object", "a string", "null", ...; "missing" when there is no value at all.</summary>
    public static string Describe(JToken? token) => token?.Type switch
    {
        null => "missing",
        JTokenType.Null or JTokenType.Undefined => "null",
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => "a string",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.Boolean => "a boolean",
        var other => other.ToString()!.ToLowerInvariant(),
    };
}
