using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// JSON text written for storage (idempotency records, lake files, the SAP registry's records) and turned into its UTF-8
/// bytes through one <see cref="StringBuilder"/> kept per thread, instead of a new <see cref="StringWriter"/> whose builder
/// grows chunk by chunk, then a string of the whole text, then the bytes: only the bytes are new. The bytes are exactly
/// <c>Encoding.UTF8.GetBytes(text)</c> of the same text. Writing is synchronous (nothing awaits while a builder is rented),
/// so a thread's builder is never used by two writers at once; a builder grown beyond 64 K characters is not kept.
/// </summary>
internal static class Utf8Text
{
    private const int MaxKeptCharacters = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? kept;

    /// <summary>A writer over this thread's builder, empty; hand it to <see cref="ToUtf8"/> when the text is written.</summary>
    public static StringWriter Rent()
    {
        var builder = kept ?? new StringBuilder(1024);
        kept = null;
        builder.Clear();
        return new StringWriter(builder, CultureInfo.InvariantCulture);
    }

    /// <summary>The UTF-8 bytes of what <paramref name="writer"/> (from <see cref="Rent"/>) holds; its builder is kept for the next text.</summary>
    public static byte[] ToUtf8(StringWriter writer)
    {
        var builder = writer.GetStringBuilder();
        var bytes = Encode(builder);
        if (builder.Capacity <= MaxKeptCharacters) kept = builder;
        return bytes;
    }

    /// <summary><c>Encoding.UTF8.GetBytes(token.ToString(Formatting.None))</c>: the compact JSON text
    /// <see cref="JToken.ToString(Formatting, JsonConverter[])"/> writes (a <see cref="JsonTextWriter"/> over an invariant-culture
    /// writer), as UTF-8.</summary>
    public static byte[] CompactJson(JToken token)
    {
        var text = Rent();
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            token.WriteTo(writer);
        }
        return ToUtf8(text);
    }

    private static byte[] Encode(StringBuilder text)
    {
        var chunks = 0;
        ReadOnlyMemory<char> only = default;
        foreach (var chunk in text.GetChunks())
        {
            if (++chunks > 1) break;
            only = chunk;
        }
        if (chunks > 1) return Encoding.UTF8.GetBytes(text.ToString());
        var span = only.Span;
        var bytes = new byte[Encoding.UTF8.GetByteCount(span)];
        Encoding.UTF8.GetBytes(span, bytes);
        return bytes;
    }
}
