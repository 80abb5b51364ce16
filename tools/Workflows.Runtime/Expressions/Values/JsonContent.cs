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
    public static JToken Parse(string text) => TryParseStrict(text) ?? ParseText(text);

    /// <summary>Newtonsoft's reader over the text: what decides for anything that is not strict JSON (see <see cref="Parse(ReadOnlySpan{byte})"/>),
    /// and the reference the strict path is specified against (<c>JsonContent_Specs</c>).</summary>
    internal static JToken ParseText(string text)
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
    public static JToken Parse(ReadOnlySpan<byte> utf8) => TryParseStrict(utf8) ?? ParseText(Encoding.UTF8.GetString(utf8));

    // Encodes a string to UTF-8 and refuses one that is not valid UTF-16 (a lone surrogate), which only the text path reads
    // as it is: the replacement character the default encoder would put in its place is another string.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Text up to this many UTF-16 units is encoded on the stack; longer text in a pooled buffer.
    private const int StackEncodeLimit = 256;

    /// <summary>
    /// Text (an HTTP request's or response's body, a stand-in's request) read through the strict UTF-8 path: encoded to
    /// UTF-8 in a buffer that is not kept, then parsed as <see cref="Parse(ReadOnlySpan{byte})"/> parses bytes. A valid
    /// UTF-16 string and its UTF-8 encoding are the same text, so the tokens are those Newtonsoft reads from the string;
    /// whatever the strict reader does not take (and a string that is not valid UTF-16) is left to Newtonsoft, which decides.
    /// Saves the text reader's character buffers and its slower tokenizer (docs/runtime/engine.md, "Values and copies").
    /// </summary>
    private static JToken? TryParseStrict(string text)
    {
        var length = text.Length;
        // A body is almost always ASCII: one byte per unit; up to three per unit otherwise.
        var pooled = length * 3 <= StackEncodeLimit ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length * 3);
        try
        {
            Span<byte> buffer = pooled ?? stackalloc byte[StackEncodeLimit];
            int written;
            try
            {
                written = StrictUtf8.GetBytes(text, buffer);
            }
            catch (EncoderFallbackException)
            {
                return null;
            }
            return TryParseStrict(buffer[..written]);
        }
        finally
        {
            if (pooled is not null) System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    // Below Newtonsoft's MaxDepth (128): a document near that depth is left to Newtonsoft's own limit.
    private static readonly JsonReaderOptions StrictOptions = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    // The members and items read so far of the objects and arrays being read, innermost last (one stack per thread).
    [ThreadStatic] private static List<JToken>? pending;

    private static List<JToken> Pending => pending ??= new List<JToken>(64);

    private static JToken? TryParseStrict(ReadOnlySpan<byte> utf8)
    {
        // A parse given up half-way (not strict JSON) leaves what it had gathered: dropped here, and never kept large.
        if (pending is { } stack && (stack.Count > 0 || stack.Capacity > 4096)) pending = stack.Capacity > 4096 ? null : ClearPending(stack);
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

    private static List<JToken> ClearPending(List<JToken> stack)
    {
        stack.Clear();
        return stack;
    }

    // Property names seen before, by a hash of their UTF-8 bytes (one name per slot, a later name replacing an earlier one):
    // the bodies the runtime reads repeat the same few dozen names in every message, and each parse allocated each again.
    // Strings are immutable and a slot is read and written whole, so threads share the table without a lock.
    private const int NameSlots = 1024;
    private const int LongestSharedName = 64;
    private static readonly string?[] Names = new string?[NameSlots];

    /// <summary>The property name at the reader: the same string as <c>GetString</c>, shared with earlier parses when it is a
    /// short ASCII name without escapes.</summary>
    private static string PropertyName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence) return reader.GetString()!;
        var utf8 = reader.ValueSpan;
        if (utf8.Length > LongestSharedName) return reader.GetString()!;
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = (hash.ToHashCode() & int.MaxValue) % NameSlots;
        var known = Names[slot];
        if (known is not null && known.Length == utf8.Length && System.Text.Ascii.Equals(utf8, known)) return known;
        if (!System.Text.Ascii.IsValid(utf8)) return reader.GetString()!;
        var name = System.Text.Encoding.ASCII.GetString(utf8);
        Names[slot] = name;
        return name;
    }

    /// <summary>The value at the reader's current token, or null when only the text path can read it exactly.</summary>
    private static JToken? ReadStrict(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                // The properties are gathered first (on a stack shared by the nested objects and arrays of this parse), so
                // that the object is made at its size (JsonTree.NewObject) instead of growing its list and name index.
                var pending = Pending;
                var start = pending.Count;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = PropertyName(ref reader);
                    reader.Read();
                    if (ReadStrict(ref reader) is not { } value) return null;
                    pending.Add(new JProperty(name, value));
                }
                var obj = JsonTree.NewObject(pending.Count - start);
                try
                {
                    for (var i = start; i < pending.Count; i++) obj.Add(pending[i]); // a repeated name throws ArgumentException: the text path decides
                }
                finally
                {
                    pending.RemoveRange(start, pending.Count - start);
                }
                return obj;
            }
            case JsonTokenType.StartArray:
            {
                var pending = Pending;
                var start = pending.Count;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadStrict(ref reader) is not { } item) return null;
                    pending.Add(item);
                }
                var array = JsonTree.NewArray(pending.Count - start);
                for (var i = start; i < pending.Count; i++) array.Add(pending[i]);
                pending.RemoveRange(start, pending.Count - start);
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
