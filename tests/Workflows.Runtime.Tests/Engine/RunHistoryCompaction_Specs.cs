using System.Numerics;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>Finished runs keep their values frozen (compact); reading them gives back the same JSON, types included.</summary>
[TestClass]
public sealed class RunHistoryCompaction_Specs
{
    private const string Workflow = """
        {
          "Shape": { "type": "Compose", "inputs": { "order": "@triggerBody()", "lines": "@length(triggerBody()?['lines'])" }, "runAfter": {} },
          "Echo": { "type": "Compose", "inputs": "@outputs('Shape')?['order']?['customer']", "runAfter": { "Shape": ["Succeeded"] } }
        }
        """;

    [TestMethod]
    public async Task A_finished_runs_inputs_and_outputs_read_back_equal_to_what_the_actions_saw()
    {
        using var host = Inline.Host(Workflow);
        var order = JObject.Parse("""
            { "orderId": "o-1", "total": 12.5, "count": 3, "big": 123456789012345678901234567890, "paid": true, "note": null,
              "customer": { "name": "Zoë", "tags": ["a", "b"] }, "lines": [ { "sku": "X", "qty": 2 }, { "sku": "Y", "qty": 0.5 } ] }
            """);
        var run = await host.RunAsync((JObject)order.DeepClone());

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status);
        Assert.IsTrue(JToken.DeepEquals(order, run.Trigger.Outputs["body"]), run.Trigger.Outputs.ToString());
        Assert.IsTrue(JToken.DeepEquals(order, run.Action("Shape").Outputs!["order"]));
        Assert.AreEqual(2L, (long)run.Action("Shape").Outputs!["lines"]!);
        Assert.IsTrue(JToken.DeepEquals(order["customer"], run.Action("Echo").Outputs));
        Assert.AreEqual(JTokenType.Float, run.Action("Shape").Outputs!["order"]!["total"]!.Type);
        Assert.AreEqual(JTokenType.Null, run.Action("Shape").Outputs!["order"]!["note"]!.Type);
        Assert.AreEqual(order.ToString(), run.ToJson()["trigger"]!["outputs"]!["body"]!.ToString());
    }

    [TestMethod]
    public async Task Reading_a_finished_run_gives_copies_so_a_reader_cannot_change_the_history()
    {
        using var host = Inline.Host(Workflow);
        var run = await host.RunAsync(JObject.Parse("""{ "orderId": "o-2", "customer": { "name": "Ann" }, "lines": [] }"""));

        var read = (JObject)run.Action("Echo").Outputs!;
        read["name"] = "changed by a reader";

        Assert.AreEqual("Ann", (string?)run.Action("Echo").Outputs!["name"]);
        Assert.AreEqual("Ann", (string?)run.ToJson()["actions"]!["Echo"]!["outputs"]!["name"]);
    }

    [TestMethod]
    public void Frozen_values_keep_every_token_type_and_the_values_net_type()
    {
        var original = new JObject
        {
            ["int32"] = new JValue((object)7),
            ["int64"] = 9_000_000_000L,
            ["big"] = new JValue((object)BigInteger.Parse("123456789012345678901234567890")),
            ["double"] = 0.1,
            ["single"] = new JValue(1.5f),
            ["decimal"] = 2.25m,
            ["bool"] = false,
            ["date"] = new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Utc),
            ["offset"] = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)),
            ["guid"] = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ["span"] = TimeSpan.FromMinutes(5),
            ["uri"] = new Uri("https://example.org/a?b=c"),
            ["bytes"] = new JValue(new byte[] { 1, 2, 3 }),
            ["null"] = JValue.CreateNull(),
            ["undefined"] = JValue.CreateUndefined(),
            ["nullString"] = JValue.CreateString(null),
            ["empty"] = new JObject(),
            ["array"] = new JArray(1, "two", new JArray()),
        };

        var thawed = (JObject)FrozenJson.TryFreeze(original)!.Thaw();

        Assert.IsTrue(JToken.DeepEquals(original, thawed), thawed.ToString());
        foreach (var property in original.Properties())
        {
            var copy = thawed[property.Name]!;
            Assert.AreEqual(property.Value.Type, copy.Type, property.Name);
            Assert.AreEqual((property.Value as JValue)?.Value?.GetType(), (copy as JValue)?.Value?.GetType(), property.Name);
        }
    }

    [TestMethod]
    public void A_value_of_a_type_the_history_cannot_freeze_is_kept_as_it_is()
    {
        var unusual = new JObject { ["raw"] = new JRaw("{\"a\":1}") };

        Assert.IsNull(FrozenJson.TryFreeze(unusual));
    }
}
