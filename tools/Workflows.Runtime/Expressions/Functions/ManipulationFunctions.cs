using System.Xml;
using System.Xml.XPath;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Manipulation functions (JSON and XML). Property functions return a changed copy; the input is
/// never modified.</summary>
internal static class ManipulationFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("addProperty", 3, 3, AddProperty));
        add(Define("setProperty", 3, 3, SetProperty));
        add(Define("removeProperty", 2, 2, RemoveProperty));
        add(Define("coalesce", 1, int.MaxValue, static (in FunctionCall c) =>
        {
            foreach (var value in c.Arguments)
                if (!WdlValue.IsNull(value)) return value;
            return WdlValue.Null();
        }));
        add(Define("xpath", 2, 2, XPath));
    }

    private static JToken AddProperty(in FunctionCall c)
    {
        var source = c.Object(0);
        var name = c.Text(1);
        if (source.Property(name, StringComparison.OrdinalIgnoreCase) is not null)
            throw c.Fail($"cannot add the property '{name}' because it already exists; use setProperty to change it.");
        var copy = (JObject)source.DeepClone();
        copy.Add(name, c[2]);
        return copy;
    }

    private static JToken SetProperty(in FunctionCall c)
    {
        var source = c.Object(0);
        var name = c.Text(1);
        var copy = (JObject)source.DeepClone();
        var existing = copy.Property(name, StringComparison.Ordinal) ?? copy.Property(name, StringComparison.OrdinalIgnoreCase);
        if (existing is not null) existing.Value = c[2].Parent is null ? c[2] : c[2].DeepClone();
        else copy.Add(name, c[2]);
        return copy;
    }

    private static JToken RemoveProperty(in FunctionCall c)
    {
        var source = c.Object(0);
        var name = c.Text(1);
        var copy = (JObject)source.DeepClone();
        var existing = copy.Property(name, StringComparison.Ordinal) ?? copy.Property(name, StringComparison.OrdinalIgnoreCase);
        existing?.Remove();
        return copy;
    }

    /// <summary>
    /// .NET XPath over the XML. A node set is always an array: text and attribute nodes as their string
    /// values, element nodes as XML content; number, string and boolean results as themselves.
    /// </summary>
    private static JToken XPath(in FunctionCall c)
    {
        var xml = c[0];
        string text;
        if (BinaryContent.TryRead(xml, out var binary)) text = binary.Text;
        else if (xml.Type == JTokenType.String) text = (string)((JValue)xml).Value!;
        else throw c.TypeError(0, "XML");
        var path = c.Text(1);

        XmlDocument document;
        try
        {
            document = XmlContent.Load(text);
        }
        catch (XmlException ex)
        {
            throw Errors.InvalidParameter(c.Name, $"The provided value cannot be parsed as XML: '{ex.Message}'.");
        }

        object result;
        try
        {
            var navigator = document.CreateNavigator()!;
            var manager = new XmlNamespaceManager(navigator.NameTable);
            var compiled = XPathExpression.Compile(path, manager);
            result = navigator.Evaluate(compiled);
        }
        catch (XPathException ex)
        {
            throw Errors.InvalidParameter(c.Name, $"The XPath expression '{path}' is not valid: '{ex.Message}'.");
        }

        switch (result)
        {
            case double d:
                return new JValue(d);
            case string s:
                return new JValue(s);
            case bool b:
                return new JValue(b);
            case XPathNodeIterator nodes:
                var array = new JArray();
                while (nodes.MoveNext())
                {
                    var node = nodes.Current!;
                    array.Add(node.NodeType switch
                    {
                        XPathNodeType.Element or XPathNodeType.Root => XmlContent.ToToken(node.OuterXml),
                        _ => new JValue(node.Value),
                    });
                }
                return array;
            default:
                return WdlValue.Null();
        }
    }
}
