using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.History;
using LocalLogicApp.Hosting;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_the_run_history_is_missing_corrupt_or_busy_the_operator_gets_a_clear_refusal
{
    private string state = null!;

    [TestInitialize]
    public void CreateAStateFolder()
    {
        state = Path.Combine(Path.GetTempPath(), "orders-runs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(state);
    }

    [TestCleanup]
    public void DeleteTheStateFolder()
    {
        try { Directory.Delete(state, recursive: true); } catch (IOException) { }
    }

    [TestMethod]
    public void A_missing_state_folder_or_one_without_runs_is_named_with_how_to_get_a_history()
    {
        var missing = Assert.ThrowsExactly<RunHistoryException>(() => RunHistoryFile.Open(Path.Combine(state, "nowhere")));
        var empty = Assert.ThrowsExactly<RunHistoryException>(() => RunHistoryFile.Open(state));

        Assert.AreEqual(RunHistoryProblem.NoHistory, missing.Problem);
        StringAssert.Contains(missing.Message, "does not exist");
        Assert.AreEqual(RunHistoryProblem.NoHistory, empty.Problem);
        StringAssert.Contains(empty.Message, "holds no run history");
        StringAssert.Contains(empty.Message, "'run --once'");
    }

    [TestMethod]
    public async Task An_unknown_run_id_is_not_found_and_a_path_is_not_a_run_id()
    {
        await RecordRunsAsync(finished: 1);
        var history = RunHistoryFile.Open(state);

        Assert.AreEqual(RunHistoryProblem.NotFound, Assert.ThrowsExactly<RunHistoryException>(() => history.Find("08584000000000000009000000009CU00")).Problem);
        Assert.AreEqual(RunHistoryProblem.NotFound, Assert.ThrowsExactly<RunHistoryException>(() => history.Find("../SapFulfillment/x")).Problem);
    }

    [TestMethod]
    public async Task A_damaged_run_is_named_and_the_readable_runs_still_list()
    {
        var ids = await RecordRunsAsync(finished: 3);
        using (var database = new SqliteConnection($"Data Source={RunHistoryFile.PathIn(state)};Pooling=False"))
        {
            database.Open();
            using var damage = database.CreateCommand();
            damage.CommandText = "UPDATE runs SET document = x'01000102' WHERE id = $id";
            damage.Parameters.AddWithValue("$id", ids[1]);
            Assert.AreEqual(1, damage.ExecuteNonQuery());
        }
        var history = RunHistoryFile.Open(state);

        var found = history.Query(new RunQuery());

        CollectionAssert.AreEquivalent(new[] { ids[0], ids[2] }, found.Runs.Select(r => r.Id).ToArray());
        var problem = found.Unreadable.Single();
        Assert.AreEqual(RunHistoryProblem.Corrupt, problem.Problem);
        StringAssert.Contains(problem.Message, RunHistoryFile.PathIn(state));
        StringAssert.Contains(problem.Message, "can't be read");
    }

    [TestMethod]
    public void A_file_that_is_not_a_run_history_is_refused_with_its_name()
    {
        File.WriteAllText(RunHistoryFile.PathIn(state), "{\"id\": \"not a database\"}");
        var history = RunHistoryFile.Open(state);

        var refused = Assert.ThrowsExactly<RunHistoryException>(() => history.Query(new RunQuery()));

        Assert.AreEqual(RunHistoryProblem.Corrupt, refused.Problem);
        StringAssert.Contains(refused.Message, RunHistoryFile.PathIn(state));
        StringAssert.Contains(refused.Message, "not a run history");
    }

    [TestMethod]
    public async Task A_run_still_running_is_not_resubmitted()
    {
        var running = await RecordRunsAsync(finished: 0, running: 1);

        var refused = await Assert.ThrowsExactlyAsync<RunHistoryException>(() =>
            RunResubmission.ResubmitOnStateAsync(Options(), running.Single(), TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.AreEqual(RunHistoryProblem.NotResubmittable, refused.Problem, refused.Message);
        StringAssert.Contains(refused.Message, "only finished runs");
    }

    [TestMethod]
    public async Task A_state_folder_owned_by_a_running_app_is_not_opened_a_second_time()
    {
        var ids = await RecordRunsAsync(finished: 1);
        // Process 1 is always alive: it stands for the 'run' process that owns the broker.
        File.WriteAllText(Path.Combine(state, BrokerOwnership.FileName), "1");

        var refused = await Assert.ThrowsExactlyAsync<RunHistoryException>(() =>
            RunResubmission.ResubmitOnStateAsync(Options(), ids.Single(), TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.AreEqual(RunHistoryProblem.NotResubmittable, refused.Problem);
        StringAssert.Contains(refused.Message, "(process 1)");
        StringAssert.Contains(refused.Message, "Stop it");
        Assert.IsFalse(File.Exists(Path.Combine(state, LocalLogicAppHost.BrokerDatabaseFile)), "the broker database was not opened");
    }

    /// <summary>Runs of a small inline workflow kept in the state folder's run history: finished ones, and ones that stay
    /// Running because their host stopped during a Wait. Returns their ids, oldest first.</summary>
    private async Task<List<string>> RecordRunsAsync(int finished, int running = 0)
    {
        using var test = WorkflowTestHost.FromDefinition("SapFulfillment", """
            {
              "definition": {
                "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                "contentVersion": "1.0.0.0",
                "triggers": { "manual": { "type": "Request", "kind": "Http" } },
                "actions": {
                  "Wait_when_asked": { "type": "If", "expression": "@equals(triggerBody()?['wait'], true)", "runAfter": {},
                    "actions": { "Wait_an_hour": { "type": "Wait", "inputs": { "interval": { "count": 1, "unit": "Hour" } }, "runAfter": {} } },
                    "else": { "actions": {} } }
                },
                "outputs": {}
              },
              "kind": "Stateful"
            }
            """, null, null, null, null);
        var ids = new List<string>();
        using var store = SqliteRunStore.Open(RunHistoryFile.PathIn(state));
        using var engine = new WorkflowEngine(test.App, new EngineOptions { RunHistory = store });
        for (var i = 0; i < finished; i++)
        {
            var run = await (await engine.InvokeRequestTriggerAsync("SapFulfillment", null, "POST", null, new JObject { ["wait"] = false }, null)).Run!.Completion;
            ids.Add(run.Id);
        }
        for (var i = 0; i < running; i++)
        {
            ids.Add((await engine.InvokeRequestTriggerAsync("SapFulfillment", null, "POST", null, new JObject { ["wait"] = true }, null)).Run!.Id);
        }
        await engine.StopAsync();
        return ids;
    }

    private LocalHostOptions Options() => new() { ProjectRoot = LocalApp.Root, StateFolder = state };
}
