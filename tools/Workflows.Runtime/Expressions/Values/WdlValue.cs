using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>
/// The value rules of the template language over Newtonsoft tokens: integers are <see cref="long"/>, floats
/// <see cref="double"/>, <c>decimal()</c> results <see cref="decimal"/>; binary content and XML travel as
/// <c>{"$content-type","$content"}</c> envelopes.
/// </summary>
internal static class WdlValue
{
    public static readonly JsonSerializerSettings ReaderSettings = new()
    {
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Double,
        MaxDepth = 128,
    };

    // A JValue of type String whose value is null (what `obj["x"] = (string?)null` builds) is JSON null too:
    // it serializes as null, so expressions must treat it as null (coalesce, equals, ?-access).
    public static bool IsNull(JToken? token) =>
        token is null || token.Type is JTokenType.Null or JTokenType.Undefined || token is JValue { Value: null };

    public static bool IsNumber(JToken token) => token.Type is JTokenType.Integer or JTokenType.Float;

    public static JValue Integer(long value) => new(value);

    public static JValue Float(double value) => new(value);

    public static JValue Text(string value) => new(value);

    public static JValue Boolean(bool value) => new(value);

    public static JValue Null() => JValue.CreateNull();

    /// <summary>Microsoft's names for value types, as its error messages print them.</summary>
    public static string TypeName(JToken? token)
    {
        if (IsNull(token)) return "Null";
        return token!.Type switch
        {
            JTokenType.String => "String",
            JTokenType.Integer => "Integer",
            JTokenType.Float => "Float",
            JTokenType.Boolean => "Boolean",
            JTokenType.Array => "Array",
            JTokenType.Object => "Object",
            JTokenType.Date => "String",
            JTokenType.Guid => "String",
            JTokenType.Uri => "String",
            JTokenType.TimeSpan => "String",
            _ => token.Type.ToString(),
        };
    }

    /// <summary>
    /// Text form of a value, as string(), concat(), join() and <c>@{...}</c> write it: strings as they are,
    /// null as '', booleans True/False, numbers shortest round-trip (invariant), objects and arrays compact
    /// JSON, binary content its decoded UTF-8 text.
    /// </summary>
    public static string ToText(JToken? token)
    {
        if (IsNull(token)) return string.Empty;
        switch (token!.Type)
        {
            case JTokenType.String:
                return (string)((JValue)token).Value!;
            case JTokenType.Boolean:
                return (bool)((JValue)token).Value! ? "True" : "False";
            case JTokenType.Integer:
            case JTokenType.Float:
                return NumberText((JValue)token);
            case JTokenType.Object:
                if (BinaryContent.TryRead(token, out var binary)) return binary.Text;
                return token.ToString(Formatting.None);
            case JTokenType.Array:
                return token.ToString(Formatting.None);
            case JTokenType.Date:
                return ((JValue)token).Value is DateTimeOffset dto
                    ? dto.ToString("o", CultureInfo.InvariantCulture)
                    : ((DateTime)((JValue)token).Value!).ToString("o", CultureInfo.InvariantCulture);
            default:
                return Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }

    public static string NumberText(JValue value) => value.Value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        System.Numerics.BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    public static bool IsDecimal(JToken token) => token is JValue { Value: decimal };

    public static bool IsIntegerValue(JToken token) => token.Type == JTokenType.Integer;

    public static double AsDouble(JToken token) => ((JValue)token).Value switch
    {
        long l => l,
        int i => i,
        double d => d,
        float f => f,
        decimal m => DecimalToDouble(m),
        System.Numerics.BigInteger b => (double)b,
        var other => Convert.ToDouble(other, CultureInfo.InvariantCulture),
    };

    public static decimal AsDecimal(JToken token) => ((JValue)token).Value switch
    {
        long l => l,
        int i => i,
        double d => (decimal)d,
        float f => (decimal)f,
        decimal m => m,
        var other => Convert.ToDecimal(other, CultureInfo.InvariantCulture),
    };

    public static long AsLong(JToken token) => ((JValue)token).Value switch
    {
        long l => l,
        int i => i,
        var other => Convert.ToInt64(other, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Deep value equality of <c>equals()</c>, <c>contains()</c>, <c>union()</c>: numbers by value across integer
    /// and float, strings ordinal, arrays in order, objects by key set.
    /// </summary>
    public static bool ValueEquals(JToken? a, JToken? b)
    {
        var aNull = IsNull(a);
        var bNull = IsNull(b);
        if (aNull || bNull) return aNull && bNull;
        if (IsNumber(a!) && IsNumber(b!))
        {
            if (a!.Type == JTokenType.Integer && b!.Type == JTokenType.Integer) return AsLong(a) == AsLong(b);
            if (IsDecimal(a!) || IsDecimal(b!)) return AsDecimal(a!) == AsDecimal(b!);
            return AsDouble(a!) == AsDouble(b!);
        }
        if (a!.Type != b!.Type) return false;
        switch (a.Type)
        {
            case JTokenType.String:
                return string.Equals((string?)((JValue)a).Value, (string?)((JValue)b).Value, StringComparison.Ordinal);
            case JTokenType.Boolean:
                return (bool)((JValue)a).Value! == (bool)((JValue)b).Value!;
            case JTokenType.Array:
            {
                var x = (JArray)a;
                var y = (JArray)b;
                if (x.Count != y.Count) return false;
                for (var i = 0; i < x.Count; i++)
                    if (!ValueEquals(x[i], y[i])) return false;
                return true;
            }
            case JTokenType.Object:
            {
                var x = (JObject)a;
                var y = (JObject)b;
                if (x.Count != y.Count) return false;
                foreach (var property in x.Properties())
                {
                    if (!y.TryGetValue(property.Name, out var other)) return false;
                    if (!ValueEquals(property.Value, other)) return false;
                }
                return true;
            }
            default:
                return JToken.DeepEquals(a, b);
        }
    }

    /// <summary>Hash consistent with <see cref="ValueEquals"/> (numbers hash by their double value).</summary>
    public static int ValueHash(JToken? token)
    {
        if (IsNull(token)) return 0;
        switch (token!.Type)
        {
            case JTokenType.Integer:
            case JTokenType.Float:
                return AsDouble(token).GetHashCode();
            case JTokenType.String:
                return StringComparer.Ordinal.GetHashCode((string)((JValue)token).Value!);
            case JTokenType.Boolean:
                return ((bool)((JValue)token).Value!).GetHashCode();
            case JTokenType.Array:
            {
                var hash = new HashCode();
                foreach (var item in (JArray)token) hash.Add(ValueHash(item));
                return hash.ToHashCode();
            }
            case JTokenType.Object:
            {
                var hash = 17;
                foreach (var property in ((JObject)token).Properties())
                    hash ^= StringComparer.Ordinal.GetHashCode(property.Name) * 31 + ValueHash(property.Value);
                return hash;
            }
            default:
                return token.ToString().GetHashCode();
        }
    }

    public static readonly IEqualityComparer<JToken> Comparer = new ValueComparer();

    private sealed class ValueComparer : IEqualityComparer<JToken>
    {
        public bool Equals(JToken? x, JToken? y) => ValueEquals(x, y);

        public int GetHashCode(JToken obj) => ValueHash(obj);
    }

    /// <summary>Values that reach the outside world (a whole-value expression's result) as JSON writes them:
    /// decimal precision is kept only through <c>string()</c>, as a number it is a double.</summary>
    public static JToken Externalize(JToken token) => token is JValue { Value: decimal m } ? new JValue(DecimalToDouble(m)) : token;

    /// <summary>The nearest double (through text: the direct decimal→double conversion can be one unit off).</summary>
    public static double DecimalToDouble(decimal value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
}
