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
    /// the claim-check threshold; most orders are below it).</summary>
    public static int Utf8Length(JToken token)
    {
        using var counter = new Utf8Counter();
        using (var writer = new JsonTextWriter(counter) { Formatting = Formatting.None })
        {
            token.WriteTo(writer);
        }
        return counter.Bytes;
    }

    /// <summary>Counts the UTF-8 bytes of the text written to it.</summary>
    private sealed class Utf8Counter() : TextWriter(CultureInfo.InvariantCulture)
    {
        public int Bytes { get; private set; }

        public override Encoding Encoding => StrictUtf8;

        public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

        public override void Write(string? value) => Write(value.AsSpan());

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            foreach (var c in buffer)
            {
                // A surrogate pair is 4 bytes: 2 counted for each half.
                Bytes += c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;
            }
        }
    }

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
