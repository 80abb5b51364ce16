using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace LocalLogicApp.StandIns.Sap;

/// <summary>
/// An element of a BAPI request document as <see cref="SalesOrderBapis"/> reads it: its local name, its namespace, its
/// child elements and its text (<see cref="Value"/>, every descendant text as <see cref="XElement.Value"/> joins them).
/// <para>Why not <see cref="XElement"/>: SAP reads every call's document once, by local name, and never changes it; an
/// <see cref="XElement"/> tree (a qualified <see cref="XName"/> looked up per element, nodes linked both ways) was most
/// of the SAP stand-in's CPU. <see cref="Parse"/> reads the text with the reader and the settings
/// <see cref="XElement.Parse(string)"/> uses, so what is well-formed, and every error of a document that is not, stay
/// the same: a document the fast reading does not expect (content after the root element, no root element) is handed to
/// <see cref="XElement.Parse(string)"/> itself.</para>
/// </summary>
internal sealed class BapiElement
{
    // Text (string) and child elements (BapiElement) in document order; null when empty.
    private List<object>? content;

    private BapiElement(string localName, string namespaceName)
    {
        LocalName = localName;
        NamespaceName = namespaceName;
    }

    public string LocalName { get; }

    public string NamespaceName { get; }

    public XNamespace Namespace => XNamespace.Get(NamespaceName);

    /// <summary>Every descendant text joined, in document order (<see cref="XElement.Value"/>).</summary>
    public string Value
    {
        get
        {
            if (content is null) return "";
            if (content.Count == 1 && content[0] is string only) return only;
            var text = new StringBuilder();
            AppendValue(text);
            return text.ToString();
        }
    }

    /// <summary>The child elements, in order.</summary>
    public IEnumerable<BapiElement> Elements()
    {
        if (content is null) yield break;
        foreach (var item in content)
        {
            if (item is BapiElement element) yield return element;
        }
    }

    /// <summary>The first child element with this local name, or null.</summary>
    public BapiElement? Child(string localName)
    {
        if (content is null) return null;
        foreach (var item in content)
        {
            if (item is BapiElement element && element.LocalName == localName) return element;
        }
        return null;
    }

    /// <summary>Reads a document as <see cref="XElement.Parse(string)"/> does (whitespace between elements ignored, DTDs
    /// parsed, entities expanded), throwing what it throws for one that is not well-formed.</summary>
    /// <param name="settings">From <see cref="CreateReaderSettings"/>; its name table may be shared by calls that do not run at once.</param>
    public static BapiElement Parse(string xml, XmlReaderSettings settings)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            if (reader.MoveToContent() == XmlNodeType.Element)
            {
                var root = Read(reader);
                reader.MoveToContent();
                if (reader.EOF) return root;
            }
        }
        catch (XmlException)
        {
            // not well-formed: XElement.Parse below throws its own exception for it
        }
        return From(XElement.Parse(xml)); // throws for this document, as before
    }

    /// <summary>The settings <see cref="XElement.Parse(string)"/> reads with (<c>XNode.GetXmlReaderSettings</c>: whitespace
    /// ignored, DTD processing Parse, at most 10 million characters from entities), with a name table of its own.</summary>
    public static XmlReaderSettings CreateReaderSettings() => new()
    {
        IgnoreWhitespace = true,
        DtdProcessing = DtdProcessing.Parse,
        MaxCharactersFromEntities = 10_000_000,
        NameTable = new NameTable(),
    };

    /// <summary>The same element read from an <see cref="XElement"/>.</summary>
    public static BapiElement From(XElement element)
    {
        var read = new BapiElement(element.Name.LocalName, element.Name.NamespaceName);
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    read.Add(From(child));
                    break;
                case XText text:
                    read.Add(text.Value);
                    break;
            }
        }
        return read;
    }

    // The reader is on an element's start; leaves it after the element's end.
    private static BapiElement Read(XmlReader reader)
    {
        var root = new BapiElement(reader.LocalName, reader.NamespaceURI);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return root;
        }
        var open = new Stack<BapiElement>();
        open.Push(root);
        reader.Read();
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var element = new BapiElement(reader.LocalName, reader.NamespaceURI);
                    open.Peek().Add(element);
                    if (!reader.IsEmptyElement) open.Push(element);
                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    if (open.Count == 0)
                    {
                        reader.Read();
                        return root;
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Whitespace:
                    open.Peek().Add(reader.Value);
                    break;
                case XmlNodeType.EntityReference:
                    reader.ResolveEntity();
                    break;
            }
            if (!reader.Read()) throw new XmlException("Unexpected end of file while parsing the BAPI document.");
        }
    }

    private void Add(object item) => (content ??= []).Add(item);

    private void AppendValue(StringBuilder text)
    {
        if (content is null) return;
        foreach (var item in content)
        {
            if (item is string part) text.Append(part);
            else ((BapiElement)item).AppendValue(text);
        }
    }
}
