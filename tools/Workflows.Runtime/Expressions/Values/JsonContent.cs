using System.Text;
using System.Text.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using JsonException = Newtonsoft.Json.JsonException;
using StrictJsonException = System.Text.Json.JsonException;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>JSON text read as a workflow value, in one place for the engine and the local host's bindings.</summary>
public static class JsonContent
{
    private static readonly JsonLoadSettings LoadSettings = new() { CommentHandling = CommentHandling.Ignore, LineInfoHandling = LineInfoHandling.Ignore };

    /// <summary>Parses JSON text the way the runtime reads content (Newtonsoft, lenient, dates stay text): <c>json()</c>,
    /// HTTP and connector bodies, Service Bus message bodies, the stand-ins' requests. One value only (text after it is an
    /// error); no line positions (an annotation object per token that nothing reads).</summary>
    public static JToken Parse(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
            MaxDepth = 128,
        };
        var token = JToken.ReadFrom(reader, LoadSettings);
        while (reader.Read())
        {
            if (reader.TokenType != JsonToken.Comment)
                throw new JsonReaderException($"Additional text encountered after finished reading JSON content: {text[Math.Min(text.Length - 1, Math.Max(0, reader.LinePosition - 1))]}. Path '', line {reader.LineNumber}, position {reader.LinePosition}.");
        }
        return token;
    }

    /// <summary>
    /// Parses JSON held as UTF-8 (a Service Bus message body) to the same tokens as <see cref="Parse(string)"/> gives for
    /// its text. Strict JSON (RFC 8259) is read straight from the bytes with <see cref="Utf8JsonReader"/>, without decoding
    /// the text to UTF-16 first; anything the strict reader refuses or that could read differently (Newtonsoft's lenient
    /// syntax, integers beyond 64 bits, a repeated property name, deep nesting, bytes that are not UTF-8) is parsed from
    /// the decoded text by <see cref="Parse(string)"/>, which decides, errors included.
    /// </summary>
    /// <exception cref="JsonException">Not JSON (Newtonsoft's error, as from the text).</exception>
    public static JToken Parse(ReadOnlySpan<byte> utf8) => TryParseStrict(utf8) ?? Parse(Encoding.UTF8.GetString(utf8));

    // Below Newtonsoft's MaxDepth (128): a document near that depth is left to Newtonsoft's own limit.
    private static readonly JsonReaderOptions StrictOptions = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private static JToken? TryParseStrict(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, StrictOptions);
        try
        {
            if (!reader.Read()) return null;
            var value = ReadStrict(ref reader);
            // One value only: whatever follows it (comments aside) is the text path's error to report.
            return value is not null && !reader.Read() ? value : null;
        }
        catch (Exception ex) when (ex is StrictJsonException or InvalidOperationException or ArgumentException)
        {
            // Not strict JSON, a string that is not valid UTF-16 once unescaped, or a repeated property name (JObject.Add).
            return null;
        }
    }

    /// <summary>The value at the reader's current token, or null when only the text path can read it exactly.</summary>
    private static JToken? ReadStrict(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var obj = new JObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    if (ReadStrict(ref reader) is not { } value) return null;
                    obj.Add(new JProperty(name, value)); // a repeated name throws ArgumentException: the text path decides
                }
                return obj;
            }
            case JsonTokenType.StartArray:
            {
                var array = new JArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadStrict(ref reader) is not { } item) return null;
                    array.Add(item);
                }
                return array;
            }
            case JsonTokenType.String:
                return new JValue(reader.GetString());
            case JsonTokenType.Number:
                // Newtonsoft (FloatParseHandling.Double): a number with a fraction or an exponent is a double, any other
                // an Int64 (a BigInteger beyond it: left to the text path, as are infinities).
                if (reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
                    return reader.TryGetDouble(out var real) && double.IsFinite(real) ? new JValue(real) : null;
                return reader.TryGetInt64(out var integer) ? new JValue(integer) : null;
            case JsonTokenType.True:
                return new JValue(true);
            case JsonTokenType.False:
                return new JValue(false);
            case JsonTokenType.Null:
                return JValue.CreateNull();
            default:
                return null;
        }
    }
}
