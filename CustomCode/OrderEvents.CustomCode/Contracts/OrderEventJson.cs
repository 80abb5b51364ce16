using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Contracts;

/// <summary>
/// How order event JSON is read and written: dates stay text (the contract checks the text, and Newtonsoft's default
/// would turn <c>2025-03-01T09:30:00Z</c> into a local DateTime), numbers stay decimal, nesting is bounded.
/// </summary>
public static class OrderEventJson
{
    public const string ContentType = "application/json";
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializer TypedSerializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Decimal,
        MaxDepth = MaxDepth,
    });

    /// <summary>Parses one JSON value; false with a reason for anything else (no exception escapes).</summary>
    public static bool TryParse(string text, out JToken? token, out string? error)
    {
        token = null;
        error = null;
        try
        {
            using var reader = new JsonTextReader(new StringReader(text))
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Decimal,
                MaxDepth = MaxDepth,
            };
            token = JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
            {
                token = null;
                error = $"Text follows the JSON value (line {reader.LineNumber}, position {reader.LinePosition}).";
                return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            token = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Decodes strict UTF-8 (a byte order mark is skipped) and parses it.</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out JToken? token, out string? error, out bool notUtf8)
    {
        notUtf8 = false;
        if (utf8.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) utf8 = utf8[3..];
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            token = null;
            error = $"The content is not UTF-8 text: {ex.Message}";
            notUtf8 = true;
            return false;
        }
        return TryParse(text, out token, out error);
    }

    /// <summary>The compact UTF-8 form in which events travel and are stored (claim checks hash these bytes).</summary>
    public static byte[] ToUtf8(JToken token) => StrictUtf8.GetBytes(token.ToString(Formatting.None));

    /// <summary>How many bytes <see cref="ToUtf8"/> would return, without making them (the intake only compares the size with
    /// the claim-check threshold; most orders are below it). Counted by walking the tree once with Newtonsoft's compact
    /// text rules (its string escapes, its decimal text), not by running its writer into a counter: the writer's
    /// machinery per value cost more than the counting. A value whose text depends on more than that (a double, a date,
    /// bytes) is counted from its own compact text. A lone surrogate counts 2 bytes, as a half of a pair does.</summary>
    public static int Utf8Length(JToken token) => checked((int)Count(token));

    private static long Count(JToken token)
    {
        switch (token)
        {
            case JObject json:
            {
                long bytes = 2;
                var first = true;
                for (var property = json.First as JProperty; property is not null; property = property.Next as JProperty)
                {
                    if (!first) bytes++;
                    first = false;
                    bytes += Quoted(property.Name) + 1 + Count(property.Value);
                }
                return bytes;
            }
            case JArray array:
            {
                long bytes = 2;
                for (var i = 0; i < array.Count; i++) bytes += (i > 0 ? 1 : 0) + Count(array[i]);
                return bytes;
            }
            case JValue { Type: JTokenType.String, Value: string text }:
                return Quoted(text);
            case JValue { Type: JTokenType.Integer, Value: long whole }:
                return whole < 0 ? 1 + Digits((ulong)(-(whole + 1)) + 1) : Digits((ulong)whole);
            case JValue { Type: JTokenType.Float, Value: decimal number }:
                return JsonConvert.ToString(number).Length; // the writer's own text for a decimal (ASCII)
            case JValue { Type: JTokenType.Boolean, Value: bool flag }:
                return flag ? 4 : 5;
            case JValue { Type: JTokenType.Null }:
                return 4;
            default:
                return Utf8Bytes(token.ToString(Formatting.None));
        }
    }

    private static int Digits(ulong value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /// <summary>A string as the writer quotes it (StringEscapeHandling.Default): control characters, <c>"</c> and <c>\</c>
    /// escaped (<c>\n</c> and its kind in two characters, the others as <c>\u00XX</c>), U+0085, U+2028 and U+2029 as
    /// <c>\uXXXX</c>, everything else as it is.</summary>
    private static long Quoted(string text)
    {
        long bytes = 2;
        foreach (var c in text)
        {
            bytes += c switch
            {
                '"' or '\\' or '\n' or '\r' or '\t' or '\f' or '\b' => 2,
                < ' ' or '\u0085' or '\u2028' or '\u2029' => 6,
                < (char)0x80 => 1,
                _ => Utf8Bytes(c),
            };
        }
        return bytes;
    }

    private static long Utf8Bytes(string text)
    {
        long bytes = 0;
        foreach (var c in text) bytes += Utf8Bytes(c);
        return bytes;
    }

    // A surrogate pair is 4 bytes: 2 counted for each half.
    private static int Utf8Bytes(char c) => c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;

    /// <summary>The <c>occurredUtc</c> of an event that <see cref="OrderEventValidator"/> accepted.</summary>
    public static DateTimeOffset OccurredUtc(JObject validEvent) =>
        ReadInstant(validEvent["occurredUtc"]) ?? throw new ArgumentException("The event's occurredUtc is not a date-time: validate the event first.", nameof(validEvent));

    /// <summary>An ISO 8601 instant as the caller's JSON carried it, in UTC: a string (any offset; none means UTC) or
    /// a date token that a date-parsing JSON reader left behind. Null for anything else; never throws.</summary>
    public static DateTimeOffset? ReadInstant(JToken? token) => token switch
    {
        JValue { Value: DateTimeOffset offset } => offset.ToUniversalTime(),
        JValue { Value: DateTime dateTime } => dateTime.Kind switch
        {
            DateTimeKind.Local => new DateTimeOffset(dateTime.ToUniversalTime(), TimeSpan.Zero),
            _ => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc), TimeSpan.Zero),
        },
        JValue { Type: JTokenType.String, Value: string text } when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed.ToUniversalTime(),
        _ => null,
    };

    /// <summary>The typed view of an event that <see cref="OrderEventValidator"/> accepted.</summary>
    public static OrderEvent ToTyped(JObject validEvent) => validEvent.ToObject<OrderEvent>(TypedSerializer)!;
}
