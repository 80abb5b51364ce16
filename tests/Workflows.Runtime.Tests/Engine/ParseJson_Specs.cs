using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class ParseJson_Specs
{
    private const string ParseOrder = """
        { "Parse": { "type": "ParseJson", "runAfter": {}, "inputs": { "content": "@triggerBody()?['payload']", "schema": {
            "type": "object", "required": ["orderId", "lines"],
            "properties": {
              "orderId": { "type": "string" },
              "priority": { "type": ["integer", "null"] },
              "status": { "type": "string", "enum": ["New", "Shipped"] },
              "lines": { "type": "array", "items": { "type": "object", "required": ["sku"], "properties": { "sku": { "type": "string" }, "qty": { "type": "integer" } } } } } } } } }
        """;

    [TestMethod]
    public async Task Valid_text_content_is_parsed_into_the_body()
    {
        using var host = Inline.Host(ParseOrder);
        var run = await host.RunAsync(new JObject { ["payload"] = """{"orderId":"o-1","priority":null,"status":"New","lines":[{"sku":"A","qty":2}]}""" });

        var parse = run.Action("Parse");
        Assert.AreEqual(WorkflowStatus.Succeeded, parse.Status, run.Describe());
        Assert.AreEqual("o-1", parse.Body()!.Value<string>("orderId"));
        Assert.AreEqual(2L, (long)parse.Body()!["lines"]![0]!["qty"]!);
    }

    [TestMethod]
    public async Task A_schema_violation_fails_with_ValidationFailed_listing_every_error_with_its_path()
    {
        using var host = Inline.Host(ParseOrder);
        var run = await host.RunAsync(new JObject { ["payload"] = JObject.Parse("""{"orderId":42,"status":"Lost","lines":[{"qty":"two"}]}""") });

        var parse = run.Action("Parse");
        Assert.AreEqual(WorkflowStatus.Failed, parse.Status);
        Assert.AreEqual("ValidationFailed", parse.Error!.Value<string>("code"));
        var details = (JArray)parse.Error["details"]!;
        var messages = details.Select(d => d.Value<string>("message")).ToList();
        CollectionAssert.Contains(messages, "Invalid type. Expected String but got Integer. Path 'orderId'.");
        CollectionAssert.Contains(messages, "Value \"Lost\" is not defined in enum. Path 'status'.");
        CollectionAssert.Contains(messages, "Required properties are missing from object: sku. Path 'lines[0]'.");
        CollectionAssert.Contains(messages, "Invalid type. Expected Integer but got String. Path 'lines[0].qty'.");
    }

    [TestMethod]
    public async Task Content_that_is_not_JSON_fails_with_InvalidJSON()
    {
        using var host = Inline.Host(ParseOrder);
        var run = await host.RunAsync(new JObject { ["payload"] = "{ not json" });

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Parse").Status);
        Assert.AreEqual("InvalidJSON", run.Action("Parse").Error!.Value<string>("code"));
    }

    [TestMethod]
    public async Task A_missing_required_property_at_the_top_is_reported()
    {
        using var host = Inline.Host(ParseOrder);
        var run = await host.RunAsync(new JObject { ["payload"] = new JObject { ["orderId"] = "o-1" } });

        var details = (JArray)run.Action("Parse").Error!["details"]!;
        Assert.AreEqual("Required properties are missing from object: lines.", details.Single().Value<string>("message"));
    }
}
