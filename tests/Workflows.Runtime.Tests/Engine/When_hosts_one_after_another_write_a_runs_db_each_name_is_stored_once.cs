using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// The names a definition decides (workflow, trigger and action names and types, codes, skip messages) are stored once
/// per file, in run_strings, and documents and records carry their numbers. A second host on the same file numbers only
/// the names it meets for the first time, after the first host's, so the runs of both read back as they showed, from
/// the hosts themselves and from the operators' read-only view.
/// </summary>
[TestClass]
public sealed class When_hosts_one_after_another_write_a_runs_db_each_name_is_stored_once : RunStoreFileSpecs
{
    [TestMethod]
    public async Task Run()
    {
        const string Trigger = """{ "manual": { "type": "Request", "kind": "Http", "correlation": { "clientTrackingId": "@triggerBody()?['order']" } } }""";
        var first = await RunOnce("""
            {
              "Greet": { "type": "Compose", "inputs": "@triggerBody()", "runAfter": {} },
              "Only_when_failed": { "type": "Compose", "inputs": "never", "runAfter": { "Greet": ["Failed"] } }
            }
            """, Trigger, "o-1");
        var stringsAfterFirst = Strings();
        var second = await RunOnce("""
            {
              "Greet": { "type": "Compose", "inputs": "@triggerBody()", "runAfter": {} },
              "Then_this": { "type": "Compose", "inputs": "@outputs('Greet')", "runAfter": { "Greet": ["Succeeded"] } }
            }
            """, Trigger, "o-2");
        var strings = Strings();

        Assert.AreEqual(strings.Count, strings.Distinct().Count(), "each text once: " + string.Join(" | ", strings));
        CollectionAssert.AreEqual(stringsAfterFirst, strings.Take(stringsAfterFirst.Count).ToList(), "the first host's numbers kept");
        CollectionAssert.Contains(stringsAfterFirst, "Only_when_failed");
        CollectionAssert.Contains(stringsAfterFirst, first.Action("Only_when_failed").Error!["message"]!.ToString(), "a skipped action's message, once");
        CollectionAssert.DoesNotContain(stringsAfterFirst, "Then_this");
        CollectionAssert.Contains(strings, "Then_this", "the second host numbered only what it met first");
        CollectionAssert.DoesNotContain(strings, "o-1", "a run's own values are not in the table");

        using var reader = SqliteRunStore.OpenReadOnly(File);
        foreach (var run in new[] { first, second })
        {
            Assert.AreEqual(run.ToJson().ToString(), reader.Find(run.Id)!.ToJson().ToString(), "the run shows as it did");
        }
        Assert.AreEqual(WorkflowStatus.Skipped, reader.Find(first.Id)!.Action("Only_when_failed").Status);
    }

    private async Task<WorkflowRun> RunOnce(string actions, string trigger, string order)
    {
        using var store = SqliteRunStore.Open(File);
        using var engine = new WorkflowEngine(Inline.Host(actions, trigger: trigger).App, new EngineOptions { RunHistory = store });
        var run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = order }, null)).Run!.Completion.WaitAsync(Patience);
        store.Flush();
        Assert.AreEqual(run.ToJson().ToString(), store.Find(run.Id)!.ToJson().ToString());
        return run;
    }

    private List<string> Strings()
    {
        using var connection = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, text FROM run_strings ORDER BY id";
        using var reader = command.ExecuteReader();
        var texts = new List<string>();
        while (reader.Read())
        {
            Assert.AreEqual((long)texts.Count, reader.GetInt64(0), "numbered from 0 without gaps");
            texts.Add(reader.GetString(1));
        }
        return texts;
    }
}
