using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace LocalLogicApp.StandIns.Sap;

/// <summary>
/// <c>element.ToString(SaveOptions.DisableFormatting)</c> without a new <see cref="XmlWriter"/> per call: that allocates
/// a 12 KB character buffer and a string writer for every SAP answer. One writer per thread writes answer after answer
/// (fragment conformance: each top-level element closes its own namespace scope), so the text is the same
/// (<c>CompactXml_Specs</c> compares it with <c>ToString</c>).
/// </summary>
internal static class CompactXml
{
    private static readonly XmlWriterSettings Settings = new()
    {
        // What XNode.ToString(SaveOptions.DisableFormatting) sets, and fragments so that the writer can be reused.
        OmitXmlDeclaration = true,
        Indent = false,
        ConformanceLevel = ConformanceLevel.Fragment,
    };

    [ThreadStatic] private static (StringBuilder Builder, XmlWriter Writer)? reusable;

    public static string Write(XElement element)
    {
        // Taken while in use: one that fails half-way is not given back.
        var (builder, writer) = reusable ?? Create();
        reusable = null;
        builder.Clear();
        element.WriteTo(writer);
        writer.Flush();
        var text = builder.ToString();
        if (builder.Capacity <= 64 * 1024) reusable = (builder, writer);
        return text;
    }

    private static (StringBuilder, XmlWriter) Create()
    {
        var builder = new StringBuilder(1024);
        return (builder, XmlWriter.Create(new StringWriter(builder, System.Globalization.CultureInfo.InvariantCulture), Settings));
    }
}
