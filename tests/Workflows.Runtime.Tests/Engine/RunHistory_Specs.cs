using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class RunHistory_Specs
{
    private const string Workflow = """
        {
          "Start": { "type": "Compose", "inputs": "@triggerBody()?['orderId']", "runAfter": {} },
          "Check": { "type": "Compose", "inputs": "@div(10, triggerBody()?['quantity'])", "runAfter": { "Start": ["Succeeded"] } }
        }
        """;

    private static WorkflowTestHost Host() => Inline.Host(Workflow, trigger: """
        { "manual": { "type": "Request", "kind": "Http", "correlation": { "clientTrackingId": "@triggerBody()?['orderId']" } } }
        """);

    [TestMethod]
    public async Task Runs_are_queryable_by_workflow_status_and_client_tracking_id_newest_first()
    {
        using var host = Host();
        var first = await host.RunAsync(new JObject { ["orderId"] = "o-1", ["quantity"] = 2 });
        var second = await host.RunAsync(new JObject { ["orderId"] = "o-2", ["quantity"] = 0 });
        var third = await host.RunAsync(new JObject { ["orderId"] = "o-3", ["quantity"] = 5 });

        CollectionAssert.AreEqual(new[] { third.Id, second.Id, first.Id }, host.History.Query(new RunQuery(Inline.Name)).Select(r => r.Id).ToArray());
        Assert.AreEqual(second.Id, host.History.Query(new RunQuery(Status: WorkflowStatus.Failed)).Single().Id);
        Assert.AreEqual(third.Id, host.History.Query(new RunQuery(ClientTrackingId: "o-3")).Single().Id);
        Assert.AreSame(first, host.History.Find(first.Id));
    }

    [TestMethod]
    public async Task A_run_record_carries_trigger_times_and_every_actions_inputs_outputs_and_error()
    {
        using var host = Host();
        var run = await host.RunAsync(new JObject { ["orderId"] = "o-9", ["quantity"] = 0 });

        Assert.AreEqual("manual", run.Trigger.Name);
        Assert.AreEqual("o-9", (string?)run.Trigger.Outputs["body"]!["orderId"]);
        Assert.AreEqual("o-9", run.Trigger.ClientTrackingId);
        Assert.IsNotNull(run.EndTime);
        Assert.IsTrue(run.EndTime >= run.StartTime);
        var start = run.Action("Start");
        Assert.AreEqual("o-9", (string?)start.Inputs);
        Assert.AreEqual("o-9", (string?)start.Outputs);
        Assert.AreEqual("o-9", start.ClientTrackingId);
        Assert.IsNotNull(run.Action("Check").Error);
    }

    [TestMethod]
    public async Task A_run_serializes_to_JSON_like_the_portals_run_view()
    {
        using var host = Host();
        var run = await host.RunAsync(new JObject { ["orderId"] = "o-4", ["quantity"] = 0 });

        var json = run.ToJson();

        Assert.AreEqual(run.Id, (string?)json["id"]);
        Assert.AreEqual("Failed", (string?)json["status"]);
        Assert.AreEqual("o-4", (string?)json["correlation"]!["clientTrackingId"]);
        Assert.AreEqual("Succeeded", (string?)json["actions"]!["Start"]!["status"]);
        Assert.AreEqual("Failed", (string?)json["actions"]!["Check"]!["status"]);
        Assert.AreEqual("InvalidTemplate", (string?)json["actions"]!["Check"]!["error"]!["code"]);
        StringAssert.Matches((string)json["startTime"]!, new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$"));
        Assert.IsNotNull(JToken.Parse(json.ToString()), "round-trips as JSON text");
    }

    [TestMethod]
    public async Task Loop_actions_list_their_repetitions_in_the_JSON()
    {
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@createArray(1, 2)", "runAfter": {}, "actions": {
                "Inner": { "type": "Compose", "inputs": "@item()", "runAfter": {} } } } }
            """);
        var run = await host.RunAsync();

        var inner = (JObject)run.ToJson()["actions"]!["Inner"]!;

        Assert.AreEqual(2, ((JArray)inner["repetitions"]!).Count);
        Assert.AreEqual("Each", (string?)inner["repetitions"]![0]!["repetitionIndexes"]![0]!["scopeName"]);
        Assert.AreEqual(2, (int)run.ToJson()["actions"]!["Each"]!["repetitionCount"]!);
    }

    [TestMethod]
    public void The_in_memory_history_keeps_at_most_its_capacity_of_finished_runs()
    {
        var history = new InMemoryRunHistory(capacity: 2);
        using var host = Inline.Host("{}");
        var runs = Enumerable.Range(0, 3).Select(_ => host.RunAsync().GetAwaiter().GetResult()).ToList();

        foreach (var run in runs) history.Record(run);

        Assert.AreEqual(2, history.Count);
        Assert.IsNull(history.Find(runs[0].Id));
    }
}
