using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// <c>body('X')</c>, <c>triggerBody()</c> and selections inside a record's <c>inputs</c> or <c>outputs</c>
/// (<c>actions('X')?['outputs']?['body']</c>, <c>action()?['inputs']</c> in tracked properties) read the run's values
/// without building the record (docs/runtime/engine.md, "Values and copies"): they give what the record gives, and fail as
/// the record functions fail. <c>workflow()?['run']?['name']</c> likewise reads the run's part of the workflow object alone.
/// </summary>
[TestClass]
public sealed class RecordReads_Specs
{
    [TestMethod]
    [DataRow("@body('Make')?['x']")]
    [DataRow("@actionBody('Make')['x']")]
    [DataRow("@outputs('Make')?['body']?['x']")]
    [DataRow("@actions('Make')?['outputs']?['body']?['x']")]
    [DataRow("@actions('Make').outputs.body.x")]
    [DataRow("@actions('Make')?['Outputs']?['body']?['x']")]
    [DataRow("@actions('Make')?['inputs']?['body']?['x']")]
    [DataRow("@actions('Make')['outputs/body']['x']")]
    [DataRow("@triggerBody()?['x']")]
    [DataRow("@triggerOutputs()?['body']?['x']")]
    [DataRow("@trigger()?['outputs']?['body']?['x']")]
    public async Task A_selection_inside_a_record_reads_what_the_whole_record_shows(string expression)
    {
        using var host = Inline.Host($$"""
            { "Make": { "type": "Compose", "inputs": { "body": { "x": 42 } }, "runAfter": {} },
              "Read": { "type": "Compose", "inputs": "{{expression}}", "runAfter": { "Make": ["Succeeded"] } },
              "Whole": { "type": "Compose", "inputs": { "record": "@actions('Make')" }, "runAfter": { "Read": ["Succeeded"] } } }
            """);

        var run = await host.RunAsync(new JObject { ["x"] = 42 });

        Assert.AreEqual(42L, (long)run.Action("Read").Outputs!, run.Describe());
        Assert.AreEqual(42L, (long)run.Action("Whole").Outputs!["record"]!["outputs"]!["body"]!["x"]!, "the record is still whole after a read inside it");
    }

    [TestMethod]
    [DataRow("@body('Later')?['x']")]
    [DataRow("@actions('Later')?['outputs']?['body']")]
    [DataRow("@outputs('Later')?['body']")]
    public async Task Reading_inside_the_record_of_an_action_that_has_not_run_fails_the_action(string expression)
    {
        using var host = Inline.Host($$"""
            { "Read": { "type": "Compose", "inputs": "{{expression}}", "runAfter": {} },
              "Later": { "type": "Compose", "inputs": "later", "runAfter": { "Read": ["Succeeded", "Failed"] } } }
            """);

        var run = await host.RunAsync();

        var read = run.Action("Read");
        Assert.AreEqual(WorkflowStatus.Failed, read.Status);
        Assert.AreEqual("InvalidTemplate", read.Error!.Value<string>("code"));
        StringAssert.Contains(read.Error.Value<string>("message"), "The action 'Later' has not run yet in this run");
    }

    [TestMethod]
    public async Task Action_outside_tracked_properties_and_Until_conditions_fails_even_when_selecting_inside_it()
    {
        using var host = Inline.Host("""{ "Read": { "type": "Compose", "inputs": "@action()?['outputs']?['body']", "runAfter": {} } }""");

        var run = await host.RunAsync();

        Assert.AreEqual("InvalidTemplate", run.Action("Read").Error!.Value<string>("code"));
        StringAssert.Contains(run.Action("Read").Error!.Value<string>("message"), "can only be used in trackedProperties and Until conditions");
    }

    [TestMethod]
    public async Task Tracked_properties_read_the_inputs_and_outputs_of_their_action_and_the_values_are_recorded_as_copies()
    {
        using var host = Inline.Host("""
            { "Make": { "type": "Compose", "inputs": { "body": { "order": { "id": "A-1" } } }, "runAfter": {},
                        "trackedProperties": { "order": "@action()?['outputs']?['body']?['order']", "id": "@action()['inputs']['body']['order']['id']" } } }
            """);

        var run = await host.RunAsync();

        var make = run.Action("Make");
        Assert.AreEqual("A-1", (string?)make.TrackedProperties!["id"]);
        Assert.AreEqual("A-1", (string?)make.TrackedProperties["order"]!["id"]);
        make.TrackedProperties["order"]!["id"] = "changed";
        Assert.AreEqual("A-1", (string?)make.Outputs!["body"]!["order"]!["id"]);
    }

    [TestMethod]
    [DataRow("@workflow()?['run']?['name']", "name")]
    [DataRow("@workflow()['run']['id']", "id")]
    [DataRow("@{workflow()?['run']?['type']}", "type")]
    public async Task A_selection_inside_the_workflow_objects_run_reads_what_the_whole_object_shows(string expression, string field)
    {
        using var host = Inline.Host($$"""
            { "Read": { "type": "Compose", "inputs": "{{expression}}", "runAfter": {} },
              "Whole": { "type": "Compose", "inputs": "@workflow()", "runAfter": { "Read": ["Succeeded"] } },
              "Again": { "type": "Compose", "inputs": "{{expression}}", "runAfter": { "Whole": ["Succeeded"] } } }
            """);

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        var whole = (JObject)run.Action("Whole").Outputs!;
        Assert.AreEqual(run.Id, (string?)whole["run"]!["name"]);
        Assert.AreEqual((string?)whole["id"] + "/runs/" + run.Id, (string?)whole["run"]!["id"]);
        Assert.AreEqual("Microsoft.Web/sites/workflows/runs", (string?)whole["run"]!["type"]);
        Assert.AreEqual((string?)whole["run"]![field], (string?)run.Action("Read").Outputs, "read before the whole object was built");
        Assert.AreEqual((string?)whole["run"]![field], (string?)run.Action("Again").Outputs, "read after it was built");
    }

    [TestMethod]
    public async Task The_workflow_objects_run_taken_whole_is_a_copy_that_leaves_the_object_intact()
    {
        using var host = Inline.Host("""
            { "Name": { "type": "Compose", "inputs": "@workflow()?['run']?['name']", "runAfter": {} },
              "Run": { "type": "Compose", "inputs": { "run": "@workflow()?['run']" }, "runAfter": { "Name": ["Succeeded"] } },
              "Whole": { "type": "Compose", "inputs": "@workflow()", "runAfter": { "Run": ["Succeeded"] } } }
            """);

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.AreEqual(run.Id, (string?)run.Action("Run").Outputs!["run"]!["name"]);
        Assert.AreEqual(run.Id, (string?)run.Action("Whole").Outputs!["run"]!["name"]);
        Assert.AreEqual("wf", (string?)run.Action("Whole").Outputs!["name"]);
    }

    [TestMethod]
    public async Task Before_a_run_exists_the_workflow_object_has_no_run_and_a_null_safe_selection_gives_null()
    {
        using var host = Inline.Host("""{ "Noop": { "type": "Compose", "inputs": "x", "runAfter": {} } }""",
            trigger: """{ "manual": { "type": "Request", "kind": "Http", "correlation": { "clientTrackingId": "@{coalesce(workflow()?['run']?['name'], 'no run yet')}" } } }""");

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.AreEqual("no run yet", run.ClientTrackingId);
    }
}
