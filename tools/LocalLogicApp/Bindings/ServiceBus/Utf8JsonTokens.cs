using System.Globalization;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>
/// Reads a message body of plain JSON straight from its UTF-8 bytes into the tokens Newtonsoft's reader makes of it
/// (<c>JToken.ReadFrom</c> with <c>DateParseHandling.None</c>): strings stay strings, integers are <see cref="long"/>,
/// other numbers <see cref="double"/>. Why: every delivery's body was decoded to a string and parsed by
/// <c>JsonTextReader</c> (1.4 % of a simulated day's CPU, and a line-number annotation on every token that each later copy
/// of the message copied too); <see cref="Utf8JsonReader"/> reads the bytes as they are.
/// <para>Only plain JSON is read here. Whatever Newtonsoft reads differently or leniently (comments, a byte order mark,
/// invalid UTF-8 or a lone surrogate, numbers beyond <see cref="long"/> or with leading zeros, duplicate property
/// names, deep nesting, text after the value) makes <see cref="TryRead"/> return false, and the caller parses with
/// Newtonsoft as before, so the outcome for such a body is unchanged.</para>
/// </summary>
internal static class Utf8JsonTokens
{
    /// <summary>Nesting beyond this goes to Newtonsoft, whose limit (64) then decides.</summary>
    private const int MaxDepth = 48;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth + 1 };

    /// <summary>The JSON value <paramref name="utf8"/> holds, or false when Newtonsoft has to read it.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, out JToken? token)
    {
        token = null;
        if (utf8.Length == 0 || utf8[0] == 0xEF) return false; // empty, or a byte order mark
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read() || !TryReadValue(ref reader, out token)) return false;
            if (reader.Read()) return false; // (unreachable: the reader throws on text after the value)
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            token = null;
            return false;
        }
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, out JToken? token)
    {
        token = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (reader.CurrentDepth >= MaxDepth) return false;
                var obj = new JObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    if (!reader.Read() || !TryReadValue(ref reader, out var value)) return false;
                    if (obj.ContainsKey(name)) return false;
                    obj.Add(name, value);
                }
                token = obj;
                return reader.TokenType == JsonTokenType.EndObject;
            case JsonTokenType.StartArray:
                if (reader.CurrentDepth >= MaxDepth) return false;
                var array = new JArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryReadValue(ref reader, out var item)) return false;
                    array.Add(item!);
                }
                token = array;
                return reader.TokenType == JsonTokenType.EndArray;
            case JsonTokenType.String:
                token = new JValue(reader.GetString());
                return true;
            case JsonTokenType.Number:
                return TryReadNumber(reader.HasValueSequence ? null : reader.ValueSpan, out token);
            case JsonTokenType.True:
                token = new JValue(true);
                return true;
            case JsonTokenType.False:
                token = new JValue(false);
                return true;
            case JsonTokenType.Null:
                token = JValue.CreateNull();
                return true;
            default:
                return false;
        }
    }

    /// <summary>As Newtonsoft's reader: a number without '.', 'e' or 'E' is a <see cref="long"/> (beyond it, a BigInteger:
    /// left to Newtonsoft), any other a <see cref="double"/> parsed with the invariant culture.</summary>
    private static bool TryReadNumber(ReadOnlySpan<byte> number, out JToken? token)
    {
        token = null;
        if (number.IsEmpty) return false;
        if (number.IndexOfAny(".eE"u8) < 0)
        {
            if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return false;
            token = new JValue(integer);
            return true;
        }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return false;
        token = new JValue(real);
        return true;
    }
}
