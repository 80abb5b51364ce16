using System.Numerics;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
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

    /// <summary>The frozen form is what runs.db files hold: written faster now, it must stay byte for byte the layout
    /// the first writer (a <see cref="BinaryWriter"/>, UTF-8) gave, so that files written before and after read alike.</summary>
    [TestMethod]
    public void The_frozen_form_keeps_the_layout_runs_db_files_were_written_with()
    {
        var longText = string.Concat(Enumerable.Repeat("Zoë Ångström 李雷 \ud83d\ude00 ", 20));
        var value = new JObject
        {
            ["int32"] = new JValue((object)-7),
            ["int64"] = 9_000_000_000L,
            ["big"] = new JValue((object)BigInteger.Parse("-123456789012345678901234567890")),
            ["double"] = 0.1,
            ["single"] = new JValue(1.5f),
            ["decimal"] = -2.25m,
            ["bool"] = true,
            ["date"] = new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Local),
            ["offset"] = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(-5)),
            ["guid"] = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ["span"] = TimeSpan.FromMinutes(5),
            ["uri"] = new Uri("relative/path?x=1", UriKind.Relative),
            ["bytes"] = new JValue(new byte[] { 1, 2, 3 }),
            ["null"] = JValue.CreateNull(),
            ["undefined"] = JValue.CreateUndefined(),
            ["nullString"] = JValue.CreateString(null),
            ["long text " + longText] = longText,
            ["lone surrogate"] = "a\ud800b",
            ["array"] = new JArray(1, "two", new JArray(), new JObject()),
        };

        var expected = new MemoryStream();
        using (var writer = new BinaryWriter(expected, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)0); // object
            writer.Write(value.Count);
            foreach (var property in value.Properties())
            {
                writer.Write(property.Name);
                var token = property.Value;
                switch (property.Name)
                {
                    case "int32": writer.Write((byte)6); writer.Write(-7); break;
                    case "int64": writer.Write((byte)7); writer.Write(9_000_000_000L); break;
                    case "big":
                        var big = BigInteger.Parse("-123456789012345678901234567890").ToByteArray();
                        writer.Write((byte)8); writer.Write(big.Length); writer.Write(big);
                        break;
                    case "double": writer.Write((byte)9); writer.Write(0.1); break;
                    case "single": writer.Write((byte)10); writer.Write(1.5f); break;
                    case "decimal": writer.Write((byte)11); writer.Write(-2.25m); break;
                    case "bool": writer.Write((byte)12); writer.Write(true); break;
                    case "date": writer.Write((byte)13); writer.Write(new DateTime(2025, 3, 1, 9, 30, 0, DateTimeKind.Local).ToBinary()); break;
                    case "offset":
                        writer.Write((byte)14);
                        writer.Write(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(-5)).Ticks);
                        writer.Write(TimeSpan.FromHours(-5).Ticks);
                        break;
                    case "guid": writer.Write((byte)15); writer.Write(Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff").ToByteArray()); break;
                    case "span": writer.Write((byte)16); writer.Write(TimeSpan.FromMinutes(5).Ticks); break;
                    case "uri": writer.Write((byte)17); writer.Write("relative/path?x=1"); break;
                    case "bytes": writer.Write((byte)18); writer.Write(3); writer.Write(new byte[] { 1, 2, 3 }); break;
                    case "null": writer.Write((byte)2); break;
                    case "undefined": writer.Write((byte)3); break;
                    case "nullString": writer.Write((byte)5); break;
                    case "array":
                        writer.Write((byte)1); writer.Write(4);
                        writer.Write((byte)6); writer.Write(1);
                        writer.Write((byte)4); writer.Write("two");
                        writer.Write((byte)1); writer.Write(0);
                        writer.Write((byte)0); writer.Write(0);
                        break;
                    default: writer.Write((byte)4); writer.Write((string)token!); break;
                }
            }
        }

        CollectionAssert.AreEqual(expected.ToArray(), FrozenJson.TryFreeze(value)!.Bytes.ToArray());
    }

    [TestMethod]
    public void A_value_of_a_type_the_history_cannot_freeze_is_kept_as_it_is()
    {
        var unusual = new JObject { ["raw"] = new JRaw("{\"a\":1}") };

        Assert.IsNull(FrozenJson.TryFreeze(unusual));
    }

    private static JObject LargeOrder() => JObject.Parse($$"""
        { "orderId": "o-3", "note": "{{new string('n', 1_000)}}", "lines": [ { "sku": "X", "qty": 2 }, { "sku": "Y", "qty": 0.5 } ] }
        """);

    [TestMethod]
    public void A_value_borrowed_from_another_record_freezes_to_the_bytes_a_walk_of_it_gives()
    {
        // The trigger's outputs hold the order (its home); a function's inputs point at it (JsonTree.Borrowing).
        var outputs = new JObject { ["headers"] = new JObject(), ["body"] = LargeOrder() };
        var inputs = new JObject { JsonTree.Borrowing("message", outputs["body"]!), new JProperty("mode", "strict") };
        var walked = FrozenJson.TryFreeze(inputs)!.Bytes.ToArray();

        var parts = new FrozenJson.Parts();
        using (FrozenJson.Freezing(parts))
        {
            FrozenJson.TryFreezeRecordValue(outputs);
            var frozen = FrozenJson.TryFreezeRecordValue(inputs)!;

            CollectionAssert.AreEqual(walked, frozen.Bytes.ToArray());
            Assert.IsTrue(JToken.DeepEquals(inputs, frozen.Thaw()));
        }
    }

    [TestMethod]
    public void A_borrowed_value_frozen_before_in_the_run_is_copied_not_walked_because_the_engine_never_changes_it()
    {
        var outputs = new JObject { ["body"] = LargeOrder() };
        var inputs = new JObject { JsonTree.Borrowing("message", outputs["body"]!) };
        var parts = new FrozenJson.Parts();
        using (FrozenJson.Freezing(parts))
        {
            FrozenJson.TryFreezeRecordValue(outputs);
            // What the engine never does once a record holds a value: change it. Its frozen bytes are what a later
            // record that borrows it gets, so a change made after the first freeze does not show.
            outputs["body"]!["orderId"] = "changed";
            var frozen = (JObject)FrozenJson.TryFreezeRecordValue(inputs)!.Thaw();

            Assert.AreEqual("o-3", (string?)frozen["message"]!["orderId"]);
        }
        // Without a run's parts (values frozen outside a run), the value is walked.
        Assert.AreEqual("changed", (string?)((JObject)FrozenJson.TryFreeze(inputs)!.Thaw())["message"]!["orderId"]);
    }
}
