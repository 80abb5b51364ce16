using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// Stateful runs are durable: a run stopped where it is (host stopping or dying) keeps its checkpoint, and an engine that
/// starts on the same history resumes it, as Azure resumes an interrupted run from its saved state. Completed actions are
/// not executed again; the action that was in flight runs again; variables and the end of a Wait in progress come back.
/// </summary>
[TestClass]
public sealed class Resume_Specs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task A_resumed_run_keeps_its_completed_actions_and_runs_the_interrupted_one_again()
    {
        var history = new InMemoryRunHistory();
        var functions = new Functions();
        var app = App("""
            {
              "Step_1": { "type": "InvokeFunction", "inputs": { "functionName": "Count", "parameters": { "what": "first" } }, "runAfter": {} },
              "Step_2": { "type": "InvokeFunction", "inputs": { "functionName": "HoldOnce", "parameters": {} }, "runAfter": { "Step_1": ["Succeeded"] } },
              "Step_3": { "type": "Compose", "inputs": "@concat(body('Step_1'), '+', body('Step_2'))", "runAfter": { "Step_2": ["Succeeded"] } }
            }
            """);

        WorkflowRun interrupted;
        using (var first = Engine(app, history, functions))
        {
            var started = await first.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null);
            interrupted = started.Run!;
            await functions.Holding.Task.WaitAsync(Patience);
            Assert.IsTrue(first.Interrupt(interrupted));
            await Assert.ThrowsExactlyAsync<RunInterruptedException>(() => interrupted.Completion.WaitAsync(Patience));
        }
        var checkpoint = history.Unfinished().Single();
        Assert.AreEqual(WorkflowStatus.Running, history.Find(interrupted.Id)!.Status, "an interrupted run stays Running");
        CollectionAssert.AreEqual(new[] { "Step_1" }, checkpoint.Completed.Select(a => a.Name).ToArray(), "only completed actions are in the checkpoint");

        using var restarted = Engine(app, history, functions);
        var resumed = (await restarted.ResumeUnfinishedRunsAsync()).Single();
        var finished = await resumed.Completion.WaitAsync(Patience);

        Assert.AreEqual(interrupted.Id, finished.Id, "the run continues under its id");
        Assert.AreEqual(WorkflowStatus.Succeeded, finished.Status, finished.Describe());
        Assert.AreEqual(1, functions.CallsOf("Count"), "a completed action is not executed again");
        Assert.AreEqual(2, functions.CallsOf("HoldOnce"), "the action in flight at the interruption runs again");
        Assert.AreEqual("counted-1+held-2", (string?)finished.Action("Step_3").Outputs);
        Assert.AreEqual(interrupted.Action("Step_1").StartTime, finished.Action("Step_1").StartTime, "the completed record is the one from before");
        Assert.AreSame(finished, history.Find(finished.Id));
        Assert.IsEmpty(history.Unfinished());
    }

    [TestMethod]
    public async Task Variables_come_back_as_they_were_at_the_checkpoint()
    {
        var history = new InMemoryRunHistory();
        var functions = new Functions();
        var app = App("""
            {
              "Init": { "type": "InitializeVariable", "inputs": { "variables": [ { "name": "count", "type": "integer", "value": 1 } ] }, "runAfter": {} },
              "Add": { "type": "IncrementVariable", "inputs": { "name": "count", "value": 10 }, "runAfter": { "Init": ["Succeeded"] } },
              "Hold": { "type": "InvokeFunction", "inputs": { "functionName": "HoldOnce", "parameters": {} }, "runAfter": { "Add": ["Succeeded"] } },
              "Read": { "type": "Compose", "inputs": "@variables('count')", "runAfter": { "Hold": ["Succeeded"] } }
            }
            """);

        await InterruptWhileHoldingAsync(app, history, functions);
        using var restarted = Engine(app, history, functions);
        var finished = await (await restarted.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);

        Assert.AreEqual(WorkflowStatus.Succeeded, finished.Status, finished.Describe());
        Assert.AreEqual(11, (int)finished.Action("Read").Outputs!, "incremented once, not again on resume");
    }

    [TestMethod]
    public async Task A_loop_resumes_after_its_completed_iterations()
    {
        var history = new InMemoryRunHistory();
        var functions = new Functions { HoldOn = p => (int)p["item"]! == 3 };
        var app = App("""
            {
              "Each": { "type": "Foreach", "foreach": "@createArray(1, 2, 3, 4)", "operationOptions": "Sequential", "runAfter": {}, "actions": {
                "Visit": { "type": "InvokeFunction", "inputs": { "functionName": "HoldOnce", "parameters": { "item": "@item()" } }, "runAfter": {} } } },
              "Visited": { "type": "Compose", "inputs": "done", "runAfter": { "Each": ["Succeeded"] } }
            }
            """);

        var interrupted = await InterruptWhileHoldingAsync(app, history, functions);
        var checkpoint = history.Unfinished().Single(c => c.Run.Id == interrupted.Id);
        CollectionAssert.AreEqual(new[] { 0, 1 }, checkpoint.Completed.Where(a => a.Name == "Visit").Select(a => a.RepetitionIndexes.Single().ItemIndex).ToArray());

        using var restarted = Engine(app, history, functions);
        var finished = await (await restarted.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);

        Assert.AreEqual(WorkflowStatus.Succeeded, finished.Status, finished.Describe());
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 3, 4 }, functions.Items.ToArray(), "items 1 and 2 are not visited again; 3 was in flight");
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, finished.Action("Visit").Repetitions.Select(r => r.RepetitionIndexes.Single().ItemIndex).ToArray());
    }

    [TestMethod]
    public async Task A_Wait_in_progress_resumes_with_the_time_it_had_left()
    {
        var history = new InMemoryRunHistory();
        var clock = new ManualClock();
        var app = App("""
            {
              "Before": { "type": "Compose", "inputs": "ready", "runAfter": {} },
              "Wait_ten_minutes": { "type": "Wait", "inputs": { "interval": { "count": 10, "unit": "Minute" } }, "runAfter": { "Before": ["Succeeded"] } },
              "After": { "type": "Compose", "inputs": "done", "runAfter": { "Wait_ten_minutes": ["Succeeded"] } }
            }
            """);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        WorkflowRun interrupted;
        using (var first = new WorkflowEngine(app, new EngineOptions
        {
            TimeProvider = clock,
            RunHistory = history,
            Delay = async (_, cancellationToken) =>
            {
                waiting.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            },
        }))
        {
            interrupted = (await first.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!;
            await waiting.Task.WaitAsync(Patience);
            clock.Advance(TimeSpan.FromMinutes(4));
            await first.StopAsync().WaitAsync(Patience);
        }

        var waits = new ConcurrentQueue<TimeSpan>();
        using var restarted = new WorkflowEngine(app, new EngineOptions
        {
            TimeProvider = clock,
            RunHistory = history,
            Delay = (wait, cancellationToken) =>
            {
                waits.Enqueue(wait);
                return clock.DelayAsync(wait, cancellationToken);
            },
        });
        var finished = await (await restarted.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);

        Assert.AreEqual(interrupted.Id, finished.Id);
        Assert.AreEqual(WorkflowStatus.Succeeded, finished.Status, finished.Describe());
        CollectionAssert.AreEqual(new[] { TimeSpan.FromMinutes(6) }, waits.ToArray(), "only what was left of the ten minutes");
    }

    [TestMethod]
    public async Task Stopping_the_engine_does_not_wait_for_a_Wait_and_leaves_the_run_to_resume()
    {
        var history = new InMemoryRunHistory();
        var app = App("""
            { "Wait_an_hour": { "type": "Wait", "inputs": { "interval": { "count": 1, "unit": "Hour" } }, "runAfter": {} } }
            """);
        using var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = history });
        var run = (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!;
        await Task.Delay(50);

        var stopped = engine.StopAsync();

        await stopped.WaitAsync(Patience);
        Assert.AreEqual(WorkflowStatus.Running, history.Find(run.Id)!.Status);
        var wait = history.Unfinished().Single().Waits.Single();
        Assert.AreEqual(RunCheckpoint.ReplayKey("Wait_an_hour", []), wait.Key);
        Assert.IsTrue(wait.Value > DateTimeOffset.UtcNow.AddMinutes(59), "the checkpoint knows when the Wait ends");
        await Assert.ThrowsExactlyAsync<OperationCanceledException>(() => engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null));
    }

    private static Workflows.Runtime.Definitions.LogicApp App(string actions) => Inline.Host(actions).App;

    private static WorkflowEngine Engine(Workflows.Runtime.Definitions.LogicApp app, IRunHistory history, IFunctionInvoker functions) =>
        new(app, new EngineOptions { RunHistory = history, FunctionInvoker = functions });

    private static async Task<WorkflowRun> InterruptWhileHoldingAsync(Workflows.Runtime.Definitions.LogicApp app, IRunHistory history, Functions functions)
    {
        using var first = Engine(app, history, functions);
        var run = (await first.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject(), null)).Run!;
        await functions.Holding.Task.WaitAsync(Patience);
        first.Interrupt(run);
        await Assert.ThrowsExactlyAsync<RunInterruptedException>(() => run.Completion.WaitAsync(Patience));
        return run;
    }

    /// <summary>Custom code for the specs: Count answers at once; HoldOnce blocks its first matching call until the run is
    /// interrupted, and answers every later call.</summary>
    private sealed class Functions : IFunctionInvoker
    {
        private readonly ConcurrentDictionary<string, int> calls = new();
        private int held;

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<JObject, bool> HoldOn { get; init; } = _ => true;

        public ConcurrentQueue<int> Items { get; } = new();

        public int CallsOf(string name) => calls.GetValueOrDefault(name);

        public bool HasFunction(string functionName) => functionName is "Count" or "HoldOnce";

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            var call = calls.AddOrUpdate(functionName, 1, (_, n) => n + 1);
            if (parameters["item"] is { } item) Items.Enqueue((int)item);
            if (functionName == "Count") return $"counted-{call}";
            if (HoldOn(parameters) && Interlocked.Exchange(ref held, 1) == 0)
            {
                Holding.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return $"held-{call}";
        }
    }
}
