using System.Xml;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>XML values: parsed safely (no DTDs, no external resolution) and carried as XML binary content.</summary>
internal static class XmlContent
{
    private static readonly XmlReaderSettings SafeSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
    };

    public static XmlDocument Load(string text)
    {
        var document = new XmlDocument { XmlResolver = null, PreserveWhitespace = false };
        using var reader = XmlReader.Create(new StringReader(text), SafeSettings);
        document.Load(reader);
        return document;
    }

    public static JToken ToToken(string xmlText) => BinaryContent.FromText(BinaryContent.XmlContentType, xmlText).ToToken();

    /// <summary>JSON object with one non-array root property → XML (Newtonsoft's JSON-to-XML conventions).</summary>
    public static string FromJson(JObject obj)
    {
        var document = JsonConvert.DeserializeXmlNode(obj.ToString(Newtonsoft.Json.Formatting.None))
            ?? throw new JsonSerializationException("The JSON value could not be converted to XML.");
        return document.OuterXml;
    }

    /// <summary>XML → JSON with Newtonsoft's conventions ('@' attributes, '#text', '?xml' declaration, repeated
    /// siblings as arrays).</summary>
    public static JToken ToJson(string xmlText)
    {
        var document = Load(xmlText);
        var json = JsonConvert.SerializeXmlNode(document);
        return JsonContent.Parse(json);
    }
}
