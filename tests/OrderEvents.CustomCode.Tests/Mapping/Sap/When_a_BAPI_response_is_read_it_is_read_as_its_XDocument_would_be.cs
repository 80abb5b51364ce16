using System.Xml;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping;
using OrderEvents.CustomCode.Mapping.Sap;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

/// <summary>
/// The response reader reads a document into its own light elements instead of an <see cref="XDocument"/>: for every
/// shape a response can take (namespaces and prefixes, CDATA, entities, mixed text, nested rows, a RETURN structure, empty
/// rows, comments and processing instructions, surrounding whitespace) it finds what the reading by <c>XDocument</c> found.
/// </summary>
[TestClass]
public sealed class When_a_BAPI_response_is_read_it_is_read_as_its_XDocument_would_be
{
    private const string Ns = "xmlns=\"http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/\"";

    public static IEnumerable<object[]> Documents =>
    [
        [$"<CREATEFROMDAT2Response {Ns}><SALESDOCUMENT>0000012345</SALESDOCUMENT><RETURN><BAPIRET2><TYPE>S</TYPE><ID>V1</ID><NUMBER>311</NUMBER><MESSAGE>Saved</MESSAGE></BAPIRET2></RETURN></CREATEFROMDAT2Response>"],
        ["<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- answer -->\n<r>\n  <SALESDOCUMENT>\n   0000000007 \n</SALESDOCUMENT>\n  <RETURN>\n <item><TYPE>W</TYPE><MESSAGE>x</MESSAGE></item>\n </RETURN>\n</r>\n<?pi after?>\n"],
        ["<r><SALESDOCUMENT><![CDATA[00000]]>123<![CDATA[45]]></SALESDOCUMENT><RETURN><TYPE>E</TYPE><ID>V1</ID><NUMBER>042</NUMBER><MESSAGE>a &amp; b &lt;c&gt; &#x41;</MESSAGE></RETURN></r>"],
        ["<r><SALESDOCUMENT>1<b>2</b>3</SALESDOCUMENT><SALESDOCUMENT>0000000009</SALESDOCUMENT><RETURN><x><TYPE/><MESSAGE/></x><x><TYPE>E</TYPE><MESSAGE>m<i>ore</i>\u0007</MESSAGE><ID>MC</ID><NUMBER>601</NUMBER></x></RETURN></r>"],
        ["<ns0:GETLISTResponse xmlns:ns0=\"urn:a\" xmlns:ns3=\"urn:b\"><ns0:SALES_ORDERS><ns3:BAPIORDERS><ns3:SD_DOC>12345</ns3:SD_DOC></ns3:BAPIORDERS><ns3:BAPIORDERS><ns3:SD_DOC> 12345 </ns3:SD_DOC></ns3:BAPIORDERS><ns3:BAPIORDERS><ns3:SD_DOC>x1</ns3:SD_DOC></ns3:BAPIORDERS><ns3:BAPIORDERS><ns3:SD_DOC>0000067890</ns3:SD_DOC></ns3:BAPIORDERS></ns0:SALES_ORDERS><ns0:RETURN><ns3:TYPE/><ns3:MESSAGE/></ns0:RETURN></ns0:GETLISTResponse>"],
        ["<r xml:space=\"preserve\"> <SALESDOCUMENT> 42 </SALESDOCUMENT> </r>"],
        ["<r/>"],
        ["<r><RETURN/><SALES_ORDERS/><OTHER>ignored</OTHER></r>"],
        ["<r><RETURN>"],
        ["<r/><r/>"],
        ["<r>text after</r> tail"],
    ];

    [TestMethod]
    [DynamicData(nameof(Documents))]
    public void The_response_is_what_the_XDocument_reading_found(string xml)
    {
        var read = SapBapiResponseReader.Read(new JValue(xml));
        var expected = ReadWithXDocument(xml);

        Assert.AreEqual(expected.SalesDocument, read.SalesDocument);
        Assert.AreEqual(expected.Succeeded, read.Succeeded);
        Assert.AreEqual(expected.IsTransient, read.IsTransient);
        CollectionAssert.AreEqual(expected.Messages.ToList(), read.Messages.ToList());
        CollectionAssert.AreEqual(expected.ListedSalesDocuments.ToList(), read.ListedSalesDocuments.ToList());
        CollectionAssert.AreEqual(expected.Errors.Select(e => (e.Code, e.Message)).ToList(), read.Errors.Select(e => (e.Code, e.Message)).ToList());
    }

    /// <summary>The reading as it was written with <see cref="XDocument"/> (before the light elements), as the oracle.</summary>
    private static SapBapiResponse ReadWithXDocument(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true, MaxCharactersInDocument = 4 * 1024 * 1024,
        };
        string? salesDocument = null;
        var messages = new List<SapReturnMessage>();
        var listed = new List<string>();
        try
        {
            XElement root;
            using (var reader = XmlReader.Create(new StringReader(xml), settings)) root = XDocument.Load(reader).Root!;
            foreach (var parameter in root.Elements())
            {
                if (parameter.Name.LocalName == "SALESDOCUMENT") salesDocument = parameter.Value.Trim();
                else if (parameter.Name.LocalName == "RETURN")
                {
                    var children = parameter.Elements().ToList();
                    var isStructure = children.Any(c => c.Name.LocalName is "TYPE" or "MESSAGE");
                    foreach (var row in isStructure ? [parameter] : children)
                    {
                        string Get(string name) => SafeText.StripControlCharacters(row.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value);
                        var type = Get("TYPE");
                        var message = Get("MESSAGE");
                        if (type.Length == 0 && message.Length == 0) continue;
                        messages.Add(new SapReturnMessage(type, Get("ID"), Get("NUMBER"), SafeText.Truncate(message, 220)));
                    }
                }
                else if (parameter.Name.LocalName == "SALES_ORDERS")
                {
                    foreach (var row in parameter.Elements())
                    {
                        var document = row.Elements().FirstOrDefault(e => e.Name.LocalName == "SD_DOC")?.Value.Trim();
                        if (string.IsNullOrEmpty(document) || !SapNumbers.IsDigits(document)) continue;
                        var normalized = SapNumbers.AlphaInput(document, SapNumbers.DocumentNumberLength);
                        if (normalized is not null && !listed.Contains(normalized)) listed.Add(normalized);
                    }
                }
            }
        }
        catch (XmlException ex)
        {
            return new SapBapiResponse
            {
                Errors = [new OrderEvents.CustomCode.Contracts.ContractError("content", "MalformedResponse", $"The BAPI response is not well-formed XML: {SafeText.Truncate(ex.Message, 200)}")],
            };
        }
        var failed = messages.Where(m => m.Type is "E" or "A").ToList();
        return new SapBapiResponse
        {
            SalesDocument = string.IsNullOrEmpty(salesDocument) ? null : salesDocument,
            Succeeded = failed.Count == 0,
            Messages = messages,
            IsTransient = failed.Count > 0 && failed.All(m => (m.Id, m.Number) is ("V1", "042") or ("MC", "601")),
            ListedSalesDocuments = listed,
        };
    }
}
