using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class CSharpScript_Specs
{
    private static string folder = null!;

    [ClassInitialize]
    public static void CreateScripts(TestContext _)
    {
        folder = Path.Combine(Path.GetTempPath(), "engine-csx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Microsoft's default template header, unchanged.
        File.WriteAllText(Path.Combine(folder, "greet.csx"), """
            #r "Newtonsoft.Json"
            #r "Microsoft.Azure.Workflows.Scripting"

            using Microsoft.Extensions.Logging;
            using Microsoft.Azure.Workflows.Scripting;
            using Newtonsoft.Json.Linq;

            public static async Task<Results> Run(WorkflowContext context, ILogger log)
            {
                var triggerOutputs = (await context.GetTriggerResults().ConfigureAwait(false)).Outputs;
                var name = triggerOutputs?["body"]?["name"]?.ToString();
                var compose = await context.GetActionResults("Prefix").ConfigureAwait(false);
                log.LogInformation("greeting {Name}", name);
                return new Results { Message = $"{compose.Outputs} {name} from CSharp action", Status = compose.Status };
            }

            public class Results
            {
                public string Message { get; set; }
                public string Status { get; set; }
            }
            """);
        // Every field of an action's and the trigger's result, as the script sees it.
        File.WriteAllText(Path.Combine(folder, "fields.csx"), """
            #r "Microsoft.Azure.Workflows.Scripting"
            using Microsoft.Azure.Workflows.Scripting;
            using Newtonsoft.Json.Linq;

            public static async Task<JObject> Run(WorkflowContext context)
            {
                var order = await context.GetActionResults("Order");
                var trigger = await context.GetTriggerResults();
                return new JObject
                {
                    ["name"] = order.Name, ["status"] = order.Status, ["code"] = order.Code, ["trackingId"] = order.OperationTrackingId,
                    ["startTime"] = order.StartTime, ["endTime"] = order.EndTime, ["inputs"] = order.Inputs, ["outputs"] = order.Outputs,
                    ["error"] = order.Error, ["trackedProperties"] = order.TrackedProperties,
                    ["triggerName"] = trigger.Name, ["triggerStatus"] = trigger.Status, ["triggerCode"] = trigger.Code,
                    ["triggerTrackingId"] = trigger.OperationTrackingId, ["triggerStartTime"] = trigger.StartTime, ["triggerOutputs"] = trigger.Outputs,
                };
            }
            """);
        // A script that changes every value it is given.
        File.WriteAllText(Path.Combine(folder, "vandal.csx"), """
            #r "Microsoft.Azure.Workflows.Scripting"
            using Microsoft.Azure.Workflows.Scripting;
            using Newtonsoft.Json.Linq;

            public static async Task<string> Run(WorkflowContext context)
            {
                var order = await context.GetActionResults("Order");
                ((JObject)order.Outputs)["id"] = "changed";
                ((JValue)order.Outputs["lines"][0]).Value = 99;
                ((JObject)order.Inputs)["id"] = "changed";
                ((JObject)order.TrackedProperties)["orderId"] = "changed";
                var trigger = await context.GetTriggerResults();
                ((JObject)trigger.Outputs["body"])["name"] = "changed";
                return "done";
            }
            """);
        File.WriteAllText(Path.Combine(folder, "broken.csx"), "public static int Run(WorkflowContext context) { return \"text\"; }");
        File.WriteAllText(Path.Combine(folder, "throws.csx"), """
            #r "Microsoft.Azure.Workflows.Scripting"
            using Microsoft.Azure.Workflows.Scripting;
            public static string Run(WorkflowContext context) => throw new InvalidOperationException("bad order");
            """);
    }

    [ClassCleanup]
    public static void DeleteScripts() => Directory.Delete(folder, recursive: true);

    private static WorkflowTestHost Host(string codeFile) => Inline.Host($$"""
        {
          "Prefix": { "type": "Compose", "inputs": "Hello", "runAfter": {} },
          "Script": { "type": "CSharpScriptCode", "inputs": { "CodeFile": "{{codeFile}}" }, "runAfter": { "Prefix": ["Succeeded"] } }
        }
        """, folder: folder);

    [TestMethod]
    public async Task The_script_reads_trigger_and_action_results_and_its_return_value_becomes_the_camel_cased_body()
    {
        using var host = Host("greet.csx");
        var run = await host.RunAsync(new JObject { ["name"] = "Jane" });

        var script = run.Action("Script");
        Assert.AreEqual(WorkflowStatus.Succeeded, script.Status, run.Describe());
        Assert.AreEqual("Hello Jane from CSharp action", script.Body()!.Value<string>("message"));
        Assert.AreEqual("Succeeded", script.Body()!.Value<string>("status"));
    }

    private static WorkflowTestHost OrderHost(string codeFile) => Inline.Host($$"""
        {
          "Order": { "type": "Compose", "inputs": { "id": "@triggerBody()?['id']", "lines": [1, 2] }, "runAfter": {},
                     "trackedProperties": { "orderId": "@action()?['outputs']?['id']" } },
          "Script": { "type": "CSharpScriptCode", "inputs": { "CodeFile": "{{codeFile}}" }, "runAfter": { "Order": ["Succeeded"] } },
          "Whole_record": { "type": "Compose", "inputs": { "order": "@actions('Order')", "trigger": "@trigger()" }, "runAfter": { "Script": ["Succeeded"] } },
          "After": { "type": "Compose", "inputs": { "order": "@outputs('Order')", "name": "@triggerBody()?['name']" }, "runAfter": { "Whole_record": ["Succeeded"] } }
        }
        """, folder: folder);

    [TestMethod]
    public async Task The_script_sees_each_field_of_an_action_and_of_the_trigger_as_the_run_records_them()
    {
        using var host = OrderHost("fields.csx");
        var run = await host.RunAsync(new JObject { ["id"] = "o-1", ["name"] = "Jane" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        var seen = (JObject)run.Action("Script").Body()!;
        var order = run.Action("Order");
        Assert.AreEqual("Order", seen.Value<string>("name"));
        Assert.AreEqual("Succeeded", seen.Value<string>("status"));
        Assert.AreEqual("OK", seen.Value<string>("code"));
        Assert.AreEqual(order.TrackingId, seen.Value<string>("trackingId"));
        Assert.AreEqual(order.StartTime.UtcDateTime, seen.Value<DateTime>("startTime"));
        Assert.AreEqual(order.EndTime!.Value.UtcDateTime, seen.Value<DateTime>("endTime"));
        Assert.IsTrue(JToken.DeepEquals(JObject.Parse("""{ "id": "o-1", "lines": [1, 2] }"""), seen["inputs"]), seen.ToString());
        Assert.IsTrue(JToken.DeepEquals(JObject.Parse("""{ "id": "o-1", "lines": [1, 2] }"""), seen["outputs"]), seen.ToString());
        Assert.AreEqual(JTokenType.Null, seen["error"]!.Type);
        Assert.IsTrue(JToken.DeepEquals(new JObject { ["orderId"] = "o-1" }, seen["trackedProperties"]), seen.ToString());
        Assert.AreEqual("manual", seen.Value<string>("triggerName"));
        Assert.AreEqual("Succeeded", seen.Value<string>("triggerStatus"));
        Assert.AreEqual("OK", seen.Value<string>("triggerCode"));
        Assert.AreEqual(run.Trigger.TrackingId, seen.Value<string>("triggerTrackingId"));
        Assert.AreEqual(run.Trigger.StartTime.UtcDateTime, seen.Value<DateTime>("triggerStartTime"));
        Assert.AreEqual("Jane", seen["triggerOutputs"]?["body"]?.Value<string>("name"));

        // The same values as the whole record that actions('Order') and trigger() give.
        var record = (JObject)run.Action("Whole_record").ActualOutputs()!;
        foreach (var (field, recordField) in new[] { ("name", "name"), ("status", "status"), ("code", "code"), ("trackingId", "trackingId"),
                     ("inputs", "inputs"), ("outputs", "outputs"), ("trackedProperties", "trackedProperties") })
        {
            Assert.IsTrue(JToken.DeepEquals(record["order"]![recordField], seen[field]), $"{field}: {seen[field]} against {record["order"]![recordField]}");
        }
        Assert.AreEqual(DateTime.Parse(record["order"]!.Value<string>("startTime")!, null, System.Globalization.DateTimeStyles.AdjustToUniversal),
            seen.Value<DateTime>("startTime"));
        Assert.IsTrue(JToken.DeepEquals(record["trigger"]!["outputs"], seen["triggerOutputs"]));
    }

    [TestMethod]
    public async Task A_script_that_changes_the_values_it_reads_changes_nothing_of_the_run()
    {
        using var host = OrderHost("vandal.csx");
        var run = await host.RunAsync(new JObject { ["id"] = "o-1", ["name"] = "Jane" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        var order = run.Action("Order");
        Assert.IsTrue(JToken.DeepEquals(JObject.Parse("""{ "id": "o-1", "lines": [1, 2] }"""), order.RawOutputs), order.RawOutputs!.ToString());
        Assert.IsTrue(JToken.DeepEquals(JObject.Parse("""{ "id": "o-1", "lines": [1, 2] }"""), order.RawInputs));
        Assert.AreEqual("o-1", order.TrackedProperties!.Value<string>("orderId"));
        var after = run.Action("After").RawOutputs!;
        Assert.IsTrue(JToken.DeepEquals(JObject.Parse("""{ "order": { "id": "o-1", "lines": [1, 2] }, "name": "Jane" }"""), after), after.ToString());
        Assert.AreEqual("Jane", run.Trigger.RawOutputs["body"]!.Value<string>("name"));
    }

    [TestMethod]
    public async Task A_script_that_does_not_compile_fails_the_action_naming_the_compiler_error()
    {
        using var host = Host("broken.csx");
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Script").Status);
        Assert.AreEqual("ScriptCompilationFailed", run.Action("Script").Error!.Value<string>("code"));
        StringAssert.Contains(run.Action("Script").Error!.Value<string>("message"), "CS0029");
    }

    [TestMethod]
    public async Task An_exception_in_the_script_fails_the_action_with_its_message()
    {
        using var host = Host("throws.csx");
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Script").Status);
        StringAssert.Contains(run.Action("Script").Error!.Value<string>("message"), "bad order");
    }

    [TestMethod]
    public async Task A_missing_script_file_fails_the_action()
    {
        using var host = Host("absent.csx");
        var run = await host.RunAsync();

        Assert.AreEqual("ScriptNotFound", run.Action("Script").Error!.Value<string>("code"));
    }
}
