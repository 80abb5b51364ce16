using System.Text;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>
/// Binary content as the runtime carries it: <c>{"$content-type": "...", "$content": "&lt;base64&gt;"}</c>.
/// XML values (from <c>xml()</c>, <c>xpath()</c>) are binary content of type <c>application/xml;charset=utf-8</c>.
/// </summary>
internal readonly struct BinaryContent
{
    public const string ContentTypeKey = "$content-type";
    public const string ContentKey = "$content";
    public const string OctetStream = "application/octet-stream";
    public const string XmlContentType = "application/xml;charset=utf-8";

    public BinaryContent(string contentType, string base64)
    {
        ContentType = contentType;
        Base64 = base64;
    }

    public string ContentType { get; }

    public string Base64 { get; }

    public byte[] Bytes => Convert.FromBase64String(Base64);

    public string Text => Encoding.UTF8.GetString(Bytes);

    public bool IsXml => ContentType.Contains("xml", StringComparison.OrdinalIgnoreCase);

    public static BinaryContent FromBytes(string contentType, byte[] bytes) => new(contentType, Convert.ToBase64String(bytes));

    public static BinaryContent FromText(string contentType, string text) => FromBytes(contentType, Encoding.UTF8.GetBytes(text));

    public JObject ToToken() => new()
    {
        [ContentTypeKey] = ContentType,
        [ContentKey] = Base64,
    };

    public static bool TryRead(JToken? token, out BinaryContent content)
    {
        content = default;
        if (token is not JObject obj || obj.Count < 2) return false;
        if (obj[ContentKey] is not JValue { Type: JTokenType.String } data) return false;
        var type = obj[ContentTypeKey];
        if (type is not JValue { Type: JTokenType.String } typeValue) return false;
        content = new BinaryContent((string)typeValue.Value!, (string)data.Value!);
        try
        {
            _ = Convert.FromBase64String(content.Base64);
        }
        catch (FormatException)
        {
            content = default;
            return false;
        }
        return true;
    }
}
