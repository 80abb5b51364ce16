using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Actions;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>JSON content read the one way the runtime reads it, wherever it comes from (HTTP bodies here).</summary>
[TestClass]
public sealed class JsonContent_Specs
{
    [TestMethod]
    public void Dates_stay_text_and_the_tokens_carry_no_line_positions()
    {
        var value = JsonContent.Parse("{\n  \"at\": \"2026-12-06T01:00:00Z\",\n  \"lines\": [1]\n}");

        Assert.AreEqual(JTokenType.String, value["at"]!.Type);
        Assert.AreEqual("2026-12-06T01:00:00Z", (string?)value["at"]);
        Assert.IsFalse(((IJsonLineInfo)value["lines"]!).HasLineInfo());
    }

    [TestMethod]
    public void Text_after_the_value_is_an_error()
    {
        Assert.ThrowsExactly<JsonReaderException>(() => JsonContent.Parse("{\"a\":1} trailing"));
    }

    [TestMethod]
    public async Task An_HTTP_body_labelled_JSON_is_parsed()
    {
        var body = await HttpAction.ReadBodyAsync(Json("{\"orderId\":\"o-1\"}"), CancellationToken.None);

        Assert.AreEqual("o-1", (string?)body!["orderId"]);
    }

    [TestMethod]
    public async Task An_HTTP_body_labelled_JSON_with_text_after_the_value_is_kept_as_the_text_it_was()
    {
        var body = await HttpAction.ReadBodyAsync(Json("{\"orderId\":\"o-1\"} and more"), CancellationToken.None);

        Assert.AreEqual(JTokenType.String, body!.Type);
        Assert.AreEqual("{\"orderId\":\"o-1\"} and more", (string?)body);
    }

    // Read from UTF-8 bytes (a message body), JSON must give exactly what its text gives: the same token types, the same
    // .NET types and values in every JValue, the same property order; and the same error when it is not JSON.
    [TestMethod]
    [DataRow("""{"orderId":"SO-1","lines":[{"sku":"A-1","qty":2,"price":12.5},{"sku":"B","qty":-3,"price":0.1}],"ok":true,"none":null}""")]
    [DataRow("""[1, 1.0, -0, -0.0, 1e2, 1E+2, 2.5e-3, 9223372036854775807, -9223372036854775808, 0.30000000000000004, 123456789.123456789]""")]
    [DataRow("""{"big":9223372036854775808,"bigger":123456789012345678901234567890}""")]
    [DataRow("""{"at":"2026-12-06T01:00:00Z","guid":"0f8fad5b-d9cb-469f-a165-70867728950e","uri":"https://example.com/a?b=c"}""")]
    [DataRow("""{"name":"Zoë Ålund \u00e9\u4e2d\ud83d\ude00 emoji 😀 \"quoted\" \\ \/ \b\f\n\r\t","\u0041scaped name":1}""")]
    [DataRow("""{"a":1,"a":2,"b":[{"a":3,"a":4}]}""")]
    [DataRow("""{'single':'quotes',unquoted:1}""")]
    [DataRow("""[1,2,]""")]
    [DataRow("""{"a":1,}""")]
    [DataRow("""/* comment */ {"a": /* inside */ 1} // after""")]
    [DataRow("""{"lone":"\ud800 alone"}""")]
    [DataRow("""[NaN, Infinity, -Infinity, 1e400]""")]
    [DataRow("""[0x1F, 012]""")]
    [DataRow("""  "just a string"  """)]
    [DataRow("""42""")]
    [DataRow("""true""")]
    [DataRow("""null""")]
    [DataRow("""{}""")]
    [DataRow("""[]""")]
    public void A_value_read_from_UTF_8_is_the_value_its_text_gives(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        var fromText = JsonContent.Parse(text);
        var fromBytes = JsonContent.Parse(bytes);

        AssertSameTokens(fromText, fromBytes, "$");
    }

    [TestMethod]
    public void A_deeply_nested_value_read_from_UTF_8_is_the_value_its_text_gives()
    {
        foreach (var depth in new[] { 63, 64, 65, 127, 128 })
        {
            var text = new string('[', depth) + "1" + new string(']', depth);
            AssertSameTokens(JsonContent.Parse(text), JsonContent.Parse(Encoding.UTF8.GetBytes(text)), $"depth {depth}");
        }
        var tooDeep = new string('[', 200) + new string(']', 200);
        Assert.AreEqual(
            Assert.ThrowsExactly<JsonReaderException>(() => JsonContent.Parse(tooDeep)).Message,
            Assert.ThrowsExactly<JsonReaderException>(() => JsonContent.Parse(Encoding.UTF8.GetBytes(tooDeep))).Message);
    }

    [TestMethod]
    [DataRow("""{"a":1} trailing""")]
    [DataRow("""{"a":""")]
    [DataRow("")]
    [DataRow("""{"a" 1}""")]
    [DataRow("""[+1]""")]
    public void Text_that_is_not_JSON_fails_from_UTF_8_with_the_texts_error(string text)
    {
        var fromText = Assert.ThrowsExactly<JsonReaderException>(() => JsonContent.Parse(text));
        var fromBytes = Assert.ThrowsExactly<JsonReaderException>(() => JsonContent.Parse(Encoding.UTF8.GetBytes(text)));

        Assert.AreEqual(fromText.Message, fromBytes.Message);
    }

    [TestMethod]
    public void Bytes_that_are_not_UTF_8_read_as_their_decoded_text_reads()
    {
        byte[] bytes = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}'];

        AssertSameTokens(JsonContent.Parse(Encoding.UTF8.GetString(bytes)), JsonContent.Parse(bytes), "$");
    }

    private static void AssertSameTokens(JToken expected, JToken actual, string path)
    {
        Assert.AreEqual(expected.Type, actual.Type, path);
        Assert.AreEqual(expected.GetType(), actual.GetType(), path);
        switch (expected)
        {
            case JObject obj:
                var actualProperties = ((JObject)actual).Properties().ToList();
                CollectionAssert.AreEqual(obj.Properties().Select(p => p.Name).ToList(), actualProperties.Select(p => p.Name).ToList(), path);
                foreach (var property in obj.Properties()) AssertSameTokens(property.Value, actual[property.Name]!, $"{path}.{property.Name}");
                break;
            case JArray array:
                Assert.AreEqual(array.Count, ((JArray)actual).Count, path);
                for (var i = 0; i < array.Count; i++) AssertSameTokens(array[i], actual[i]!, $"{path}[{i}]");
                break;
            case JValue value:
                var actualValue = ((JValue)actual).Value;
                Assert.AreEqual(value.Value?.GetType(), actualValue?.GetType(), path);
                if (value.Value is double d) Assert.AreEqual(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actualValue!), $"{path}: {d} against {actualValue}");
                else Assert.AreEqual(value.Value, actualValue, path);
                break;
        }
    }

    private static ByteArrayContent Json(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
