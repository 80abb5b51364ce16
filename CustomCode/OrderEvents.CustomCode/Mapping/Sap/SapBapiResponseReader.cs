using System.Xml;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping.Sap;

/// <summary>One row of the BAPI's RETURN table (BAPIRET2).</summary>
public sealed record SapReturnMessage(string Type, string Id, string Number, string Message);

/// <summary>The classified outcome of a BAPI call, read from the connector's XML response.</summary>
public sealed record SapBapiResponse
{
    /// <summary>The sales document number (VBELN) exported by the create BAPI, when present and non-empty.</summary>
    public string? SalesDocument { get; init; }
    /// <summary>True when the response was read and its RETURN table holds no message of type E or A.</summary>
    public bool Succeeded { get; init; }
    public IReadOnlyList<SapReturnMessage> Messages { get; init; } = Array.Empty<SapReturnMessage>();
    /// <summary>True when the failure is worth retrying later (the document or material was locked).</summary>
    public bool IsTransient { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();
    /// <summary>The distinct sales documents of GetList's <c>SALES_ORDERS</c> table (one row per item, so a document
    /// appears once here), in the order SAP listed them; empty for the other BAPIs.</summary>
    public IReadOnlyList<string> ListedSalesDocuments { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Reads the XML the connector returns in <c>content</c> for <c>bapiCallMethod</c>
/// (<c>&lt;CREATEFROMDAT2Response&gt;</c> with <c>SALESDOCUMENT</c> and the <c>RETURN</c> table;
/// <c>&lt;GETLISTResponse&gt;</c> with the <c>SALES_ORDERS</c> table and <c>RETURN</c>, a BAPIRETURN structure). Elements are
/// matched by local name so namespace prefixes and the trailing-slash variants of the namespaces do not matter.
/// </summary>
public static class SapBapiResponseReader
{
    private const int MaxMessages = 100;
    private const int MaxMessageLength = 220;

    /// <summary>RETURN messages that mean "someone else holds the lock": retrying later usually succeeds.
    /// V1/042: sales document is being processed by another user; MC/601: object requested is locked.</summary>
    private static readonly HashSet<(string Id, string Number)> LockMessages = new() { ("V1", "042"), ("MC", "601") };

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = 4 * 1024 * 1024,
    };

    public static SapBapiResponse Read(JToken? content)
    {
        var xml = content switch
        {
            JValue { Type: JTokenType.String } value => (string?)value,
            JObject obj when obj["content"] is JValue { Type: JTokenType.String } inner => (string?)inner,
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(xml))
        {
            return Unreadable("EmptyResponse", $"The BAPI response must be the connector's XML 'content' string, but was {JsonValues.Describe(content)}.");
        }

        string? salesDocument = null;
        var messages = new List<SapReturnMessage>();
        var listed = new List<string>();
        try
        {
            // The light tree first (what this reader reads of it is the same); a document it does not expect, and every
            // document that is not well-formed, is read again by XDocument, which gives the outcome and the error text.
            if (ResponseElement.TryParse(xml) is { } light)
            {
                foreach (var parameter in light.Elements())
                {
                    if (parameter.LocalName == "SALESDOCUMENT") salesDocument = parameter.Value.Trim();
                    else if (parameter.LocalName == "RETURN") ReadReturn(parameter, messages);
                    else if (parameter.LocalName == "SALES_ORDERS") ReadListedDocuments(parameter, listed);
                }
            }
            else
            {
                XElement root;
                using (var reader = XmlReader.Create(new StringReader(xml), ReaderSettings))
                {
                    root = XDocument.Load(reader).Root!;
                }
                foreach (var parameter in ResponseElement.From(root).Elements())
                {
                    if (parameter.LocalName == "SALESDOCUMENT") salesDocument = parameter.Value.Trim();
                    else if (parameter.LocalName == "RETURN") ReadReturn(parameter, messages);
                    else if (parameter.LocalName == "SALES_ORDERS") ReadListedDocuments(parameter, listed);
                }
            }
        }
        catch (XmlException ex)
        {
            return Unreadable("MalformedResponse", $"The BAPI response is not well-formed XML: {SafeText.Truncate(ex.Message, 200)}");
        }

        var failed = messages.Where(m => m.Type is "E" or "A").ToList();
        return new SapBapiResponse
        {
            SalesDocument = string.IsNullOrEmpty(salesDocument) ? null : salesDocument,
            Succeeded = failed.Count == 0,
            Messages = messages,
            IsTransient = failed.Count > 0 && failed.All(m => LockMessages.Contains((m.Id, m.Number))),
            ListedSalesDocuments = listed,
        };
    }

    /// <summary>SD_DOC of each row (BAPIORDERS), in ALPHA form, each document once.</summary>
    private static void ReadListedDocuments(ResponseElement table, List<string> listed)
    {
        foreach (var row in table.Elements())
        {
            var document = Child(row, "SD_DOC")?.Value.Trim();
            if (string.IsNullOrEmpty(document) || !SapNumbers.IsDigits(document)) continue;
            var normalized = SapNumbers.AlphaInput(document, SapNumbers.DocumentNumberLength);
            if (normalized is not null && !listed.Contains(normalized)) listed.Add(normalized);
            if (listed.Count >= MaxMessages) return;
        }
    }

    /// <summary>Reads RETURN either as a table (rows of BAPIRET2) or as a single BAPIRET2 structure.</summary>
    private static void ReadReturn(ResponseElement parameter, List<SapReturnMessage> messages)
    {
        var children = parameter.Elements().ToList();
        var isStructure = children.Any(c => c.LocalName is "TYPE" or "MESSAGE");
        foreach (var row in isStructure ? new List<ResponseElement> { parameter } : children)
        {
            if (messages.Count >= MaxMessages) return;
            string Get(string name) => SafeText.StripControlCharacters(Child(row, name)?.Value);
            var type = Get("TYPE");
            var message = Get("MESSAGE");
            if (type.Length == 0 && message.Length == 0) continue; // an empty row, as SAP returns for "no messages"
            messages.Add(new SapReturnMessage(type, Get("ID"), Get("NUMBER"), SafeText.Truncate(message, MaxMessageLength)));
        }
    }

    /// <summary>The first child element named <paramref name="localName"/> (any namespace).</summary>
    private static ResponseElement? Child(ResponseElement parent, string localName) => parent.Child(localName);

    private static SapBapiResponse Unreadable(string code, string message) =>
        new() { Succeeded = false, IsTransient = false, Errors = new[] { new ContractError("content", code, message) } };

    /// <summary>
    /// An element of a response as this reader reads it: its local name, its child elements and its text
    /// (<see cref="Value"/>: every descendant text joined, as <see cref="XElement.Value"/>). Why not <see cref="XDocument"/>:
    /// every SAP call's answer (and its commit's) is read once, by local name; an <see cref="XElement"/> tree (an atomized
    /// <see cref="XName"/> per element, nodes linked both ways) cost most of the reading.
    /// </summary>
    private sealed class ResponseElement(string localName)
    {
        // Text (string) and child elements in document order; null when empty.
        private List<object>? content;

        public string LocalName { get; } = localName;

        public string Value
        {
            get
            {
                if (content is null) return "";
                if (content.Count == 1 && content[0] is string only) return only;
                var text = new System.Text.StringBuilder();
                AppendValue(text);
                return text.ToString();
            }
        }

        public IEnumerable<ResponseElement> Elements()
        {
            if (content is null) yield break;
            foreach (var item in content)
            {
                if (item is ResponseElement element) yield return element;
            }
        }

        public ResponseElement? Child(string name)
        {
            if (content is null) return null;
            foreach (var item in content)
            {
                if (item is ResponseElement element && element.LocalName == name) return element;
            }
            return null;
        }

        /// <summary>The document's root read with <see cref="ReaderSettings"/>, or null when the document is not the plain
        /// well-formed case this expects (an entity reference, content after the root, a reader error): the caller then
        /// reads it with <see cref="XDocument.Load(XmlReader)"/> as before.</summary>
        public static ResponseElement? TryParse(string xml)
        {
            try
            {
                using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
                if (reader.MoveToContent() != XmlNodeType.Element) return null;
                var root = Read(reader);
                if (root is null) return null;
                while (reader.Read())
                {
                    // After the root only what XDocument.Load skips too (comments and processing instructions are ignored
                    // by the settings, insignificant whitespace is not reported).
                    if (reader.NodeType is not (XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)) return null;
                }
                return root;
            }
            catch (XmlException)
            {
                return null;
            }
        }

        /// <summary>The element the reader is on, up to and past its end; null for content XDocument would keep in a form
        /// this does not read the same way.</summary>
        private static ResponseElement? Read(XmlReader reader)
        {
            var element = new ResponseElement(reader.LocalName);
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return element;
            }
            reader.Read();
            while (true)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (Read(reader) is not { } child) return null;
                        (element.content ??= []).Add(child);
                        continue;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        (element.content ??= []).Add(reader.Value);
                        reader.Read();
                        continue;
                    case XmlNodeType.EndElement:
                        reader.Read();
                        return element;
                    default:
                        return null;
                }
            }
        }

        /// <summary>The same element read from an <see cref="XElement"/> (the documents only XDocument reads).</summary>
        public static ResponseElement From(XElement source)
        {
            var element = new ResponseElement(source.Name.LocalName);
            foreach (var node in source.Nodes())
            {
                switch (node)
                {
                    case XElement child:
                        (element.content ??= []).Add(From(child));
                        break;
                    case XText text:
                        (element.content ??= []).Add(text.Value);
                        break;
                }
            }
            return element;
        }

        private void AppendValue(System.Text.StringBuilder text)
        {
            if (content is null) return;
            foreach (var item in content)
            {
                if (item is string part) text.Append(part);
                else ((ResponseElement)item).AppendValue(text);
            }
        }
    }
}
