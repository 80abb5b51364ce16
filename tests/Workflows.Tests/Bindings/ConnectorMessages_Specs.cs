using System.Text;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

using Workflows.Tests.Support;

namespace Workflows.Tests.Bindings;

/// <summary>
/// The trigger's <c>contentData</c> for an <c>application/json</c> message: read from the body's UTF-8 bytes, it is the
/// same value Newtonsoft's reader makes of the body's text (the shape the workflows and the custom code were written
/// against), for plain JSON and for every body Newtonsoft reads leniently or not at all.
/// </summary>
[TestClass]
public sealed class ConnectorMessages_Specs
{
    private static readonly string[] Bodies =
    [
        """{"a":1,"b":-0,"c":0.1,"d":1E400,"e":-9223372036854775808,"f":9223372036854775807,"g":1.0,"h":2e-3,"i":-0.0}""",
        """{"big":92233720368547758070,"s":"2025-03-01T09:30:00Z","t":true,"u":false,"n":null,"x":[],"y":{}}""",
        """{"text":"Zoë \"Ō\" 👩‍🍳 東京 \u00e9 \/ \\ \b\f\n\r\t","empty":""}""",
        """{"lone":"\ud800"}""",
        """{"dup":1,"dup":2}""",
        """{"a":1} // a comment""",
        """{"a":1,}""",
        """{'a':1}""",
        """{a:1}""",
        """{"a":012}""",
        """{"a":NaN}""",
        """{"a":1} {"b":2}""",
        """[1,"two",{"three":[3.5]}]""",
        "42",
        "\"text\"",
        "null",
        "",
        "   ",
        "\uFEFF{\"a\":1}",
        "not json",
        "{\"a\":",
        string.Concat(Enumerable.Repeat("[", 60)) + string.Concat(Enumerable.Repeat("]", 60)),
        string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)),
    ];

    [TestMethod]
    public void Each_body_becomes_the_value_Newtonsoft_reads_from_its_text()
    {
        foreach (var body in Bodies) AssertAsNewtonsoftReadsIt(Encoding.UTF8.GetBytes(body), body);
        AssertAsNewtonsoftReadsIt([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], "invalid UTF-8");
    }

    [TestMethod]
    public void Every_sample_order_event_becomes_the_value_Newtonsoft_reads_from_its_text()
    {
        var samples = Directory.GetFiles(Path.Combine(Project.Root, "Artifacts", "Samples"), "*.json", SearchOption.AllDirectories);
        Assert.IsTrue(samples.Length > 5, "the sample events");
        foreach (var sample in samples)
        {
            var text = File.ReadAllText(sample);
            AssertAsNewtonsoftReadsIt(Encoding.UTF8.GetBytes(text), sample);
            // As the intake sends it: compact.
            if (TryNewtonsoft(text) is JToken parsed) AssertAsNewtonsoftReadsIt(Encoding.UTF8.GetBytes(parsed.ToString(Formatting.None)), sample + " (compact)");
        }
    }

    [TestMethod]
    public void Plain_JSON_is_read_from_the_bytes_and_lenient_JSON_is_left_to_Newtonsoft()
    {
        Assert.IsTrue(Utf8JsonTokens.TryRead("""{"a":[1,2.5,"x",null,true]}"""u8, out var read));
        Assert.AreEqual("""{"a":[1,2.5,"x",null,true]}""", read!.ToString(Formatting.None));

        foreach (var lenient in new[] { """{"a":1,}""", """{"dup":1,"dup":2}""", """{"a":92233720368547758070}""", "\uFEFF{}", """{"lone":"\ud800"}""", "" })
        {
            Assert.IsFalse(Utf8JsonTokens.TryRead(Encoding.UTF8.GetBytes(lenient), out _), lenient);
        }
    }

    private static JToken? TryNewtonsoft(string text)
    {
        try
        {
            return JToken.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void AssertAsNewtonsoftReadsIt(byte[] body, string what)
    {
        var expected = ConnectorMessages.ReadJsonText(body);
        var actual = ConnectorMessages.ContentData(body, "application/json");

        Assert.AreEqual(expected.ToString(Formatting.None), actual.ToString(Formatting.None), what);
        AssertSameKinds(expected, actual, what);
    }

    private static void AssertSameKinds(JToken expected, JToken actual, string path)
    {
        Assert.AreEqual(expected.Type, actual.Type, path);
        if (expected is JValue value)
        {
            Assert.AreEqual(value.Value?.GetType(), ((JValue)actual).Value?.GetType(), path);
            Assert.AreEqual(value.Value, ((JValue)actual).Value, path);
            return;
        }
        var expectedChildren = expected.Children().ToArray();
        var actualChildren = actual.Children().ToArray();
        Assert.AreEqual(expectedChildren.Length, actualChildren.Length, path);
        for (var i = 0; i < expectedChildren.Length; i++)
        {
            AssertSameKinds(expectedChildren[i], actualChildren[i], expectedChildren[i] is JProperty p ? $"{path}.{p.Name}" : $"{path}[{i}]");
        }
    }
}
