using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

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
}
