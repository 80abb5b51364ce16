using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Schema;

/// <summary>
/// The JSON Schema subset Logic Apps schemas use (Parse JSON, Request trigger): <c>type</c> (one or an array),
/// <c>properties</c>, <c>required</c>, <c>items</c>, <c>enum</c>, <c>additionalProperties</c>, plus
/// <c>minLength</c>/<c>maxLength</c>/<c>minimum</c>/<c>maximum</c>/<c>minItems</c>/<c>maxItems</c>.
/// Messages follow Newtonsoft.Json.Schema, which Logic Apps reports ("Invalid type. Expected String but got Integer.").
/// </summary>
public static class JsonSchemaValidator
{
    public static IReadOnlyList<SchemaError> Validate(JToken value, JObject schema)
    {
        var errors = new List<SchemaError>();
        Check(value, schema, "", errors);
        return errors;
    }

    private static void Check(JToken value, JObject schema, string path, List<SchemaError> errors)
    {
        if (schema["type"] is { } typeToken)
        {
            var allowed = typeToken is JArray types ? types.Select(t => t.ToString()).ToArray() : [typeToken.ToString()];
            if (!allowed.Any(type => Matches(value, type)))
            {
                errors.Add(new SchemaError("InvalidType", path,
                    $"Invalid type. Expected {string.Join(", ", allowed.Select(Capitalize))} but got {TypeName(value)}."));
                return;
            }
        }

        if (schema["enum"] is JArray options && !options.Any(option => JToken.DeepEquals(option, value)))
            errors.Add(new SchemaError("EnumValue", path, $"Value {value.ToString(Formatting.None)} is not defined in enum."));

        switch (value)
        {
            case JObject obj:
                CheckObject(obj, schema, path, errors);
                break;
            case JArray array:
                CheckArray(array, schema, path, errors);
                break;
            case JValue { Type: JTokenType.String } text:
                var length = ((string)text!).Length;
                if (schema["minLength"]?.Type == JTokenType.Integer && length < (int)schema["minLength"]!)
                    errors.Add(new SchemaError("StringTooShort", path, $"String '{text}' is less than minimum length of {schema["minLength"]}."));
                if (schema["maxLength"]?.Type == JTokenType.Integer && length > (int)schema["maxLength"]!)
                    errors.Add(new SchemaError("StringTooLong", path, $"String '{text}' exceeds maximum length of {schema["maxLength"]}."));
                break;
            case JValue { Type: JTokenType.Integer or JTokenType.Float } number:
                var n = (double)number;
                if (schema["minimum"] is { Type: JTokenType.Integer or JTokenType.Float } min && n < (double)min)
                    errors.Add(new SchemaError("MinimumValue", path, $"Integer {number} is less than minimum value of {min}."));
                if (schema["maximum"] is { Type: JTokenType.Integer or JTokenType.Float } max && n > (double)max)
                    errors.Add(new SchemaError("MaximumValue", path, $"Integer {number} exceeds maximum value of {max}."));
                break;
        }
    }

    private static void CheckObject(JObject obj, JObject schema, string path, List<SchemaError> errors)
    {
        if (schema["required"] is JArray required)
        {
            var missing = required.Select(r => r.ToString()).Where(name => obj[name] is null).ToList();
            if (missing.Count > 0)
                errors.Add(new SchemaError("Required", path, $"Required properties are missing from object: {string.Join(", ", missing)}."));
        }
        var properties = schema["properties"] as JObject;
        foreach (var property in obj.Properties())
        {
            var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (properties?[property.Name] is JObject propertySchema)
            {
                Check(property.Value, propertySchema, childPath, errors);
            }
            else if (schema["additionalProperties"] is { } additional)
            {
                if (additional.Type == JTokenType.Boolean && !(bool)additional)
                    errors.Add(new SchemaError("AdditionalPropertiesNotAllowed", childPath, $"Property '{property.Name}' has not been defined and the schema does not allow additional properties."));
                else if (additional is JObject additionalSchema)
                    Check(property.Value, additionalSchema, childPath, errors);
            }
        }
    }

    private static void CheckArray(JArray array, JObject schema, string path, List<SchemaError> errors)
    {
        if (schema["minItems"]?.Type == JTokenType.Integer && array.Count < (int)schema["minItems"]!)
            errors.Add(new SchemaError("ArrayItemsTooFew", path, $"Array item count {array.Count} is less than minimum count of {schema["minItems"]}."));
        if (schema["maxItems"]?.Type == JTokenType.Integer && array.Count > (int)schema["maxItems"]!)
            errors.Add(new SchemaError("ArrayItemsTooMany", path, $"Array item count {array.Count} exceeds maximum count of {schema["maxItems"]}."));
        if (schema["items"] is not JObject itemSchema) return;
        for (var i = 0; i < array.Count; i++) Check(array[i], itemSchema, $"{path}[{i}]", errors);
    }

    private static bool Matches(JToken value, string type) => type.ToLowerInvariant() switch
    {
        "string" => value.Type is JTokenType.String or JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan,
        "integer" => value.Type == JTokenType.Integer || (value.Type == JTokenType.Float && Math.Abs((double)value % 1) < double.Epsilon),
        "number" => value.Type is JTokenType.Integer or JTokenType.Float,
        "boolean" => value.Type == JTokenType.Boolean,
        "object" => value.Type == JTokenType.Object,
        "array" => value.Type == JTokenType.Array,
        "null" => value.Type is JTokenType.Null or JTokenType.Undefined,
        "any" => true,
        _ => false,
    };

    private static string TypeName(JToken value) => value.Type switch
    {
        JTokenType.Float => "Number",
        JTokenType.Undefined => "Null",
        JTokenType.Date => "String",
        _ => value.Type.ToString(),
    };

    private static string Capitalize(string type) => type.Length == 0 ? type : char.ToUpperInvariant(type[0]) + type[1..].ToLowerInvariant();
}

/// <summary>One schema violation: <c>path</c> is the JSON path inside the value ("" = the value itself).</summary>
public sealed record SchemaError(string Code, string Path, string Message)
{
    public JObject ToJson() => new() { ["code"] = Code, ["path"] = Path, ["message"] = Path.Length == 0 ? Message : $"{Message} Path '{Path}'." };
}
