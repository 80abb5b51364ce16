using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// A host killed (SIGKILL) at each instant around a new run's first checkpoint. What such a kill leaves is the run store's
/// file as committed at that instant: the specs copy the database and its write-ahead log from inside an action (the
/// instant) and start a second store and engine on the copy (the restarted host). The batch interval is an hour, so no
/// batch is written but the ones the specs name. Found by <c>simulate --crash-process</c>: a run killed within its first
/// batch was forgotten, and the idempotency claim its first action had taken (owned by the run's name) blocked its
/// message's redeliveries until the lease ended.
/// </summary>
[TestClass]
public sealed class RunStoreKill_Specs : RunStoreFileSpecs
{
    private static readonly TimeSpan NoBatch = TimeSpan.FromHours(1);
    private const string TwoSteps = """
        {
          "First": { "type": "InvokeFunction", "inputs": { "functionName": "First", "parameters": {} }, "runAfter": {} },
          "Second": { "type": "InvokeFunction", "inputs": { "functionName": "Second", "parameters": {} }, "runAfter": { "First": ["Succeeded"] } }
        }
        """;

    [TestMethod]
    public async Task A_new_run_is_in_the_file_before_its_first_action_starts()
    {
        var functions = new Functions();
        functions.OnFirst = () => functions.KilledAt = Kill("first-action");
        var run = await RunAsync(functions);

        using var killed = SqliteRunStore.OpenReadOnly(functions.KilledAt!);
        var saved = killed.Unfinished().SingleOrDefault();
        Assert.IsNotNull(saved, "a host killed as the first action starts has the run to resume");
        Assert.AreEqual(run.Id, saved.Run.Id);
        Assert.IsEmpty(saved.Completed, "nothing completed yet");
        Assert.AreEqual(run.Trigger.TrackingId, saved.Run.Trigger.TrackingId, "the run keeps its trigger");
    }

    [TestMethod]
    public async Task Killed_during_its_first_action_the_run_resumes_under_its_id_and_runs_that_action_again()
    {
        var functions = new Functions();
        functions.OnFirst = () => functions.KilledAt ??= Kill("first-action");
        var run = await RunAsync(functions);

        var resumed = await RestartAsync(functions.KilledAt!, functions);

        Assert.AreEqual(run.Id, resumed.Id, "the same run, not a new one");
        Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
        Assert.AreEqual(2, functions.FirstCalls, "the action in flight at the kill ran again");
    }

    [TestMethod]
    public async Task Killed_after_its_first_action_and_before_the_next_batch_the_run_resumes_and_runs_the_first_action_again()
    {
        var functions = new Functions();
        functions.OnSecond = () => functions.KilledAt ??= Kill("before-first-checkpoint");
        var run = await RunAsync(functions);

        var resumed = await RestartAsync(functions.KilledAt!, functions);

        Assert.AreEqual(run.Id, resumed.Id);
        Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
        Assert.AreEqual(2, functions.FirstCalls, "the batch holding the first action's completion was not written: it runs again (the window documented in docs/runtime/engine.md)");
    }

    [TestMethod]
    public async Task Killed_after_the_first_checkpoint_the_run_resumes_without_running_the_first_action_again()
    {
        var functions = new Functions();
        functions.OnSecond = () =>
        {
            if (functions.KilledAt is not null) return;
            functions.Store!.Flush();
            functions.KilledAt = Kill("after-first-checkpoint");
        };
        var run = await RunAsync(functions);

        var resumed = await RestartAsync(functions.KilledAt!, functions);

        Assert.AreEqual(run.Id, resumed.Id);
        Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
        Assert.AreEqual(1, functions.FirstCalls, "the checkpointed action is not executed again");
        Assert.AreEqual(2, functions.SecondCalls, "the action in flight ran again");
    }

    [TestMethod]
    public async Task Runs_started_at_once_are_each_in_the_file_before_their_first_action_starts()
    {
        var functions = new Functions();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        functions.Holding = release.Task;
        using var store = SqliteRunStore.Open(File, flushInterval: NoBatch);
        functions.Store = store;
        using var engine = new WorkflowEngine(Inline.Host(TwoSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions });

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!));
        await functions.AllStarted(20).WaitAsync(Patience);

        using (var reader = SqliteRunStore.OpenReadOnly(File))
        {
            CollectionAssert.AreEquivalent(runs.Select(r => r.Id).ToArray(), reader.Unfinished().Select(c => c.Run.Id).ToArray(), "every run whose first action started is in the file");
        }
        release.SetResult();
        foreach (var run in runs) Assert.AreEqual(WorkflowStatus.Succeeded, (await run.Completion.WaitAsync(Patience)).Status);
    }

    /// <summary>One run on a store whose batches are an hour apart; returns it finished (the kill is only simulated).</summary>
    private async Task<WorkflowRun> RunAsync(Functions functions)
    {
        using var store = SqliteRunStore.Open(File, flushInterval: NoBatch);
        functions.Store = store;
        using var engine = new WorkflowEngine(Inline.Host(TwoSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions });
        var run = (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!;
        return await run.Completion.WaitAsync(Patience);
    }

    /// <summary>The host that starts on what the killed one left: it resumes the unfinished run.</summary>
    private static async Task<WorkflowRun> RestartAsync(string killedFile, Functions functions)
    {
        functions.OnFirst = functions.OnSecond = null;
        using var store = SqliteRunStore.Open(killedFile, flushInterval: NoBatch);
        using var engine = new WorkflowEngine(Inline.Host(TwoSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions });
        var resumed = (await engine.ResumeUnfinishedRunsAsync()).Single();
        return await resumed.Completion.WaitAsync(Patience);
    }

    /// <summary>What SIGKILL leaves now: the database and its write-ahead log as they are (committed batches only; the
    /// shared-memory index is rebuilt by the next opener).</summary>
    private string Kill(string instant)
    {
        var copy = Path.Combine(Folder, instant, "runs.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        System.IO.File.Copy(File, copy);
        if (System.IO.File.Exists(File + "-wal")) System.IO.File.Copy(File + "-wal", copy + "-wal");
        return copy;
    }

    private sealed class Functions : IFunctionInvoker
    {
        private int started;
        private readonly TaskCompletionSource allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int expected = int.MaxValue;

        public int FirstCalls;
        public int SecondCalls;
        public Action? OnFirst;
        public Action? OnSecond;
        public string? KilledAt;
        public SqliteRunStore? Store;
        public Task Holding = Task.CompletedTask;

        public Task AllStarted(int count)
        {
            expected = count;
            if (Volatile.Read(ref started) >= count) allStarted.TrySetResult();
            return allStarted.Task;
        }

        public bool HasFunction(string functionName) => functionName is "First" or "Second";

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            if (functionName == "First")
            {
                Interlocked.Increment(ref FirstCalls);
                OnFirst?.Invoke();
                if (Interlocked.Increment(ref started) >= expected) allStarted.TrySetResult();
                await Holding.WaitAsync(cancellationToken);
                return "first";
            }
            Interlocked.Increment(ref SecondCalls);
            OnSecond?.Invoke();
            return "second";
        }
    }
}
