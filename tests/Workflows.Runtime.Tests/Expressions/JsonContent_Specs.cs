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

    private static ByteArrayContent Json(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
