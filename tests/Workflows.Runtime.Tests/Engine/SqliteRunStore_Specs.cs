using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// The durable run history: one SQLite file holds finished runs and the checkpoints of runs in progress. A new process
/// (a new store on the same file) sees every run and resumes the unfinished ones; retention bounds what is kept.
/// </summary>
[TestClass]
public sealed class SqliteRunStore_Specs : RunStoreFileSpecs
{
    [TestMethod]
    public async Task A_finished_run_reads_back_from_the_file_as_the_history_showed_it()
    {
        var app = Inline.Host("""
            {
              "Each": { "type": "Foreach", "foreach": "@triggerBody()?['items']", "runAfter": {}, "actions": {
                "Double": { "type": "Compose", "inputs": "@mul(item(), 2)", "runAfter": {} } } },
              "Fail": { "type": "Compose", "inputs": "@div(1, 0)", "runAfter": { "Each": ["Succeeded"] } }
            }
            """, trigger: """{ "manual": { "type": "Request", "kind": "Http", "correlation": { "clientTrackingId": "@triggerBody()?['order']" } } }""").App;
        JObject shown;
        string id;
        using (var store = SqliteRunStore.Open(File))
        using (var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store }))
        {
            var run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-7", ["items"] = new JArray(1, 2, 3) }, null)).Run!.Completion;
            shown = run.ToJson();
            id = run.Id;
        }

        using var reopened = SqliteRunStore.OpenReadOnly(File);
        var read = reopened.Find(id);

        Assert.IsNotNull(read);
        Assert.AreEqual(WorkflowStatus.Failed, read.Status);
        Assert.AreEqual(shown.ToString(), read.ToJson().ToString());
        Assert.AreEqual(id, reopened.Query(new RunQuery(ClientTrackingId: "o-7")).Single().Id);
        Assert.AreEqual(3, read.Action("Double").Repetitions.Count);
    }

    [TestMethod]
    public async Task A_run_stopped_in_one_process_resumes_in_the_next_from_the_file()
    {
        var app = Inline.Host("""
            {
              "Once": { "type": "InvokeFunction", "inputs": { "functionName": "Once", "parameters": {} }, "runAfter": {} },
              "Slow": { "type": "InvokeFunction", "inputs": { "functionName": "Slow", "parameters": {} }, "runAfter": { "Once": ["Succeeded"] } }
            }
            """).App;
        var functions = new Functions();
        string id;
        using (var store = SqliteRunStore.Open(File))
        using (var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            id = (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!.Id;
            await functions.SlowStarted.Task.WaitAsync(Patience);
            await engine.StopAsync().WaitAsync(Patience);
        }

        using (var store = SqliteRunStore.Open(File))
        using (var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            functions.SlowReturns = true;
            var resumed = (await engine.ResumeUnfinishedRunsAsync()).Single();
            var finished = await resumed.Completion.WaitAsync(Patience);

            Assert.AreEqual(id, finished.Id);
            Assert.AreEqual(WorkflowStatus.Succeeded, finished.Status, finished.Describe());
            Assert.AreEqual(1, functions.OnceCalls, "the completed action was not executed again");
            Assert.AreEqual(2, functions.SlowCalls, "the action in flight ran again");
        }
        using var reader = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual(WorkflowStatus.Succeeded, reader.Find(id)!.Status);
        Assert.IsEmpty(reader.Unfinished());
    }

    [TestMethod]
    public async Task A_run_in_progress_is_in_the_file_with_its_completed_actions_before_it_finishes()
    {
        var app = Inline.Host("""
            {
              "Once": { "type": "InvokeFunction", "inputs": { "functionName": "Once", "parameters": {} }, "runAfter": {} },
              "Slow": { "type": "InvokeFunction", "inputs": { "functionName": "Slow", "parameters": {} }, "runAfter": { "Once": ["Succeeded"] } }
            }
            """).App;
        var functions = new Functions();
        using var store = SqliteRunStore.Open(File, flushInterval: TimeSpan.FromMilliseconds(20));
        using var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store, FunctionInvoker = functions });
        var run = (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!;
        await functions.SlowStarted.Task.WaitAsync(Patience);

        // What another process would find if this one died now.
        RunCheckpoint? saved = null;
        for (var attempt = 0; attempt < 200 && saved is null; attempt++)
        {
            await Task.Delay(20);
            using var reader = SqliteRunStore.OpenReadOnly(File);
            saved = reader.Unfinished().SingleOrDefault(c => c.Completed.Any(a => a.Name == "Once"));
        }

        Assert.IsNotNull(saved, "the checkpoint with the completed action reached the file within the batch interval");
        Assert.AreEqual(run.Id, saved.Run.Id);
        Assert.AreEqual(WorkflowStatus.Running, saved.Run.Status);
        CollectionAssert.AreEqual(new[] { "Once" }, saved.Completed.Select(a => a.Name).ToArray());
        await engine.StopAsync();
    }

    [TestMethod]
    public async Task Retention_keeps_the_newest_runs_up_to_the_cap_and_removes_runs_older_than_the_threshold()
    {
        var clock = new ManualClock();
        var app = Inline.Host("""{ "Echo": { "type": "Compose", "inputs": "@triggerBody()?['n']", "runAfter": {} } }""").App;
        var ids = new List<string>();
        using (var store = SqliteRunStore.Open(File, new RunRetention(TimeSpan.FromDays(7), MaxRuns: 5), clock))
        using (var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store, TimeProvider = clock, Delay = clock.DelayAsync }))
        {
            for (var n = 0; n < 8; n++)
            {
                var run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["n"] = n }, null)).Run!.Completion;
                ids.Add(run.Id);
                clock.Advance(TimeSpan.FromMinutes(1));
                store.Flush();
            }
            Assert.AreEqual(5, store.Count(), "at most the cap");
            CollectionAssert.AreEqual(ids.Skip(3).Reverse().ToArray(), store.Query(new RunQuery()).Select(r => r.Id).ToArray(), "the newest five, newest first");

            clock.Advance(TimeSpan.FromDays(7));
            var late = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["n"] = 99 }, null)).Run!.Completion;
            store.Flush();

            Assert.AreEqual(late.Id, store.Query(new RunQuery()).Single().Id, "runs that started more than seven days ago are gone");
        }
    }

    /// <summary>Every write of a run is an upsert (stored when it starts, checkpointed, finished), and an upsert that updates
    /// still uses up an AUTOINCREMENT value: the cap goes by rank among finished runs, so it keeps exactly the newest ones,
    /// and a run in progress, what a restart resumes, is never removed, however old.</summary>
    [TestMethod]
    public async Task Retention_counts_finished_runs_by_rank_and_never_removes_a_run_in_progress()
    {
        var clock = new ManualClock();
        var app = Inline.Host("""
            {
              "Which": { "type": "If", "expression": { "equals": ["@triggerBody()?['slow']", true] }, "runAfter": {},
                "actions": { "Slow": { "type": "InvokeFunction", "inputs": { "functionName": "Slow", "parameters": {} }, "runAfter": {} } },
                "else": { "actions": { "Once": { "type": "InvokeFunction", "inputs": { "functionName": "Once", "parameters": {} }, "runAfter": {} } } } }
            }
            """).App;
        var functions = new Functions();
        using var store = SqliteRunStore.Open(File, new RunRetention(TimeSpan.FromDays(7), MaxRuns: 3), clock, flushInterval: TimeSpan.FromHours(1));
        using var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store, FunctionInvoker = functions, TimeProvider = clock, Delay = clock.DelayAsync });
        var inProgress = (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["slow"] = true }, null)).Run!;
        await functions.SlowStarted.Task.WaitAsync(Patience);
        store.Flush();
        var finished = new List<string>();
        for (var n = 0; n < 6; n++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var run = (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["slow"] = false }, null)).Run!;
            finished.Add((await run.Completion.WaitAsync(Patience)).Id);
            store.Flush();
        }

        Assert.AreEqual(4, store.Count(), "the three newest finished runs and the run in progress");
        CollectionAssert.AreEqual(finished.Skip(3).Reverse().ToArray(),
            store.Query(new RunQuery(Status: WorkflowStatus.Succeeded)).Select(r => r.Id).ToArray(), "the newest three, newest first");

        clock.Advance(TimeSpan.FromDays(8));
        store.Flush();
        using var reader = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual(inProgress.Id, reader.Unfinished().Single().Run.Id, "the run in progress is kept past the retention, to be resumed");
        Assert.AreEqual(1, store.Count(), "the finished runs older than the retention are gone");
        await engine.StopAsync();
    }

    private sealed class Functions : IFunctionInvoker
    {
        public int OnceCalls;
        public int SlowCalls;
        public volatile bool SlowReturns;
        public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HasFunction(string functionName) => functionName is "Once" or "Slow";

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            if (functionName == "Once")
            {
                Interlocked.Increment(ref OnceCalls);
                return "done";
            }
            Interlocked.Increment(ref SlowCalls);
            SlowStarted.TrySetResult();
            if (!SlowReturns) await Task.Delay(Timeout.Infinite, cancellationToken);
            return "slow";
        }
    }
}
