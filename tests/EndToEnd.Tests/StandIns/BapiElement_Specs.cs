using System.Xml;
using System.Xml.Linq;
using LocalLogicApp.StandIns.Sap;

namespace EndToEnd.Tests.StandIns;

/// <summary>
/// The SAP stand-in reads each BAPI document into a <see cref="BapiElement"/> instead of an <see cref="XElement"/>: it
/// sees the same names, namespaces and text, and refuses exactly the documents <c>XElement.Parse</c> refuses, with the
/// same error.
/// </summary>
[TestClass]
public sealed class BapiElement_Specs
{
    private static readonly string[] Documents =
    [
        """<CREATEFROMDAT2 xmlns="http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/"><ORDER_HEADER_IN><DOC_TYPE> TA </DOC_TYPE><SALES_ORG>1000</SALES_ORG></ORDER_HEADER_IN><ORDER_ITEMS_IN><BAPISDITM><ITM_NUMBER>10</ITM_NUMBER><MATERIAL>SKU-1</MATERIAL></BAPISDITM><BAPISDITM><ITM_NUMBER>20</ITM_NUMBER><MATERIAL/></BAPISDITM></ORDER_ITEMS_IN></CREATEFROMDAT2>""",
        """
        <?xml version="1.0" encoding="utf-8"?>
        <!-- a comment before the root -->
        <b:CHANGE xmlns:b="urn:bapi" xmlns:t="urn:types">
          <b:SALESDOCUMENT>0000004711</b:SALESDOCUMENT>
          <t:TEXT>A &amp; B &lt;x&gt; &#233;<![CDATA[ <raw> ]]>tail</t:TEXT>
          <MIXED>before<INNER>inner</INNER>after<?pi data?><!-- not text --></MIXED>
          <SPACES xml:space="preserve">   </SPACES>
        </b:CHANGE>
        <!-- a comment after the root -->
        """,
        """<!DOCTYPE GETLIST [<!ENTITY org "1000">]><GETLIST><SALES_ORGANIZATION>&org;</SALES_ORGANIZATION></GETLIST>""",
        """<EMPTY/>""",
    ];

    private static readonly string[] NotWellFormed =
    [
        "",
        "not xml",
        "<A><B></A>",
        "<A/><B/>",
        "<A/>trailing text",
        "<!-- only a comment -->",
        "<A>&undeclared;</A>",
        "<A><B>open",
    ];

    [TestMethod]
    public void A_document_reads_as_the_XElement_Parse_gives_it()
    {
        var settings = BapiElement.CreateReaderSettings();
        foreach (var document in Documents.Concat(Documents))
        {
            AssertSame(XElement.Parse(document), BapiElement.Parse(document, settings));
        }
    }

    [TestMethod]
    public void A_document_that_is_not_well_formed_is_refused_with_the_error_XElement_Parse_gives()
    {
        var settings = BapiElement.CreateReaderSettings();
        foreach (var document in NotWellFormed)
        {
            var expected = Refusal(() => XElement.Parse(document));
            var actual = Refusal(() => BapiElement.Parse(document, settings));

            Assert.IsNotNull(expected, document);
            Assert.AreEqual(expected.GetType(), actual?.GetType(), document);
            Assert.AreEqual(expected.Message, actual!.Message, document);
        }
        // and the shared settings still read a good document afterwards
        AssertSame(XElement.Parse(Documents[0]), BapiElement.Parse(Documents[0], settings));
    }

    private static Exception? Refusal(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (Exception ex) when (ex is XmlException or InvalidOperationException)
        {
            return ex;
        }
    }

    private static void AssertSame(XElement expected, BapiElement actual)
    {
        Assert.AreEqual(expected.Name.LocalName, actual.LocalName);
        Assert.AreEqual(expected.Name.Namespace, actual.Namespace);
        Assert.AreEqual(expected.Value, actual.Value, expected.Name.LocalName);
        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        Assert.AreEqual(expectedChildren.Count, actualChildren.Count, expected.Name.LocalName);
        for (var i = 0; i < expectedChildren.Count; i++)
        {
            AssertSame(expectedChildren[i], actualChildren[i]);
            Assert.AreSame(actualChildren.First(c => c.LocalName == actualChildren[i].LocalName), actual.Child(actualChildren[i].LocalName));
        }
        Assert.IsNull(actual.Child("NO_SUCH_ELEMENT"));
    }
}
