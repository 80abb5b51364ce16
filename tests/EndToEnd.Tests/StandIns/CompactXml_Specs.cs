using System.Xml.Linq;
using LocalLogicApp.StandIns.Sap;

namespace EndToEnd.Tests.StandIns;

/// <summary>
/// The SAP stand-in writes its answers with one reused XML writer per thread instead of <c>XElement.ToString</c>; each
/// answer, written after others, is exactly the text <c>ToString(SaveOptions.DisableFormatting)</c> gives.
/// </summary>
[TestClass]
public sealed class CompactXml_Specs
{
    private static readonly XNamespace Bapi = "http://Microsoft.LobServices.Sap/2007/03/Bapi/BUS2032/";
    private static readonly XNamespace Rfc = "http://Microsoft.LobServices.Sap/2007/03/Rfc/";
    private static readonly XNamespace Types = "http://Microsoft.LobServices.Sap/2007/03/Types/Rfc/";

    private static IEnumerable<XElement> Answers()
    {
        yield return new XElement(Bapi + "CREATEFROMDAT2Response",
            new XElement(Bapi + "SALESDOCUMENT", "0000004711"),
            new XElement(Bapi + "RETURN", new XElement(Types + "BAPIRET2", new XElement(Types + "TYPE", "S"), new XElement(Types + "MESSAGE", "Standard Order 4711 has been saved"))));
        yield return new XElement(Rfc + "BAPI_TRANSACTION_COMMITResponse", new XElement(Rfc + "RETURN"));
        yield return new XElement(Bapi + "CHANGEResponse", new XAttribute(XNamespace.Xmlns + "t", Types.NamespaceName),
            new XElement(Types + "MESSAGE", "A&B <x> \"quoted\" 'single' \u00e9\u4e2d\U0001F600 line\nbreak\r\ttab"),
            new XElement(Bapi + "EMPTY", ""), new XElement("NoNamespace", new XAttribute("attr", "v\"<&>\n")));
        yield return XElement.Parse("""<GETLISTResponse xmlns="urn:a"><SALES_ORDERS><BAPIORDERS xmlns="urn:b"><SD_DOC>12345</SD_DOC></BAPIORDERS></SALES_ORDERS></GETLISTResponse>""");
    }

    [TestMethod]
    public void Each_answer_written_after_others_is_the_text_ToString_gives()
    {
        var answers = Answers().Concat(Answers()).Concat(Answers()).ToList();

        foreach (var answer in answers) Assert.AreEqual(answer.ToString(SaveOptions.DisableFormatting), CompactXml.Write(answer));
    }

    [TestMethod]
    public void An_answer_that_cannot_be_written_leaves_the_next_one_as_ToString_gives_it()
    {
        var broken = new XElement(Bapi + "CHANGEResponse", new XElement(Bapi + "MESSAGE", "bad \u0001 character"));
        var next = Answers().First();

        Assert.Throws<ArgumentException>(() => CompactXml.Write(broken));
        Assert.AreEqual(next.ToString(SaveOptions.DisableFormatting), CompactXml.Write(next));
    }
}
