using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>
/// The state of one run while it executes: its record, variables, response and termination; for a Stateful run, what a
/// checkpoint captures (completed actions, variables, Waits in progress) and, when the run resumes from a checkpoint, the
/// actions that completed before (<see cref="TakeReplayed"/>).
/// </summary>
internal sealed class RunExecution : ICheckpointSource
{
    private readonly TaskCompletionSource<RunResponse> response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource cancellation;
    private readonly Dictionary<string, DateTimeOffset> waits = new(StringComparer.Ordinal);
    private Dictionary<string, ActionRun>? replay;
    private Dictionary<string, DateTimeOffset>? resumedWaits;
    private JObject? workflowObject, workflowRunObject;
    private int responded;
    private int interrupted;

    public RunExecution(WorkflowEngine engine, WorkflowDefinition definition, WorkflowRun run, CancellationToken cancellationToken)
    {
        Engine = engine;
        Definition = definition;
        Run = run;
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>A run continuing from <paramref name="checkpoint"/>: completed actions are replayed from their records
    /// (not executed again), variables and the ends of Waits in progress are restored.</summary>
    public RunExecution(WorkflowEngine engine, WorkflowDefinition definition, WorkflowRun run, RunCheckpoint checkpoint, CancellationToken cancellationToken)
        : this(engine, definition, run, cancellationToken)
    {
        replay = new Dictionary<string, ActionRun>(StringComparer.Ordinal);
        foreach (var record in checkpoint.Completed) replay[RunCheckpoint.ReplayKey(record.Name, record.RepetitionIndexes)] = record;
        resumedWaits = new Dictionary<string, DateTimeOffset>(checkpoint.Waits, StringComparer.Ordinal);
        Variables.Restore(checkpoint.Variables);
        if (run.Response is { } answered)
        {
            responded = 1;
            response.TrySetResult(answered);
        }
    }

    /// <summary>Taken while a checkpoint is captured, and while a variable changes together with its action's record.</summary>
    public Lock StateGate { get; } = new();

    /// <summary>True once the run was stopped where it is (host stopping or a simulated crash): nothing more is recorded.</summary>
    public bool IsInterrupted => Volatile.Read(ref interrupted) == 1;

    /// <summary>Stops the run where it is: every action in flight is cancelled and none of them completes.</summary>
    public void Interrupt()
    {
        if (Interlocked.Exchange(ref interrupted, 1) == 1) return;
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run had already finished.
        }
    }

    /// <summary>The completed record of this action execution from the checkpoint the run resumes from, if any (once).</summary>
    public ActionRun? TakeReplayed(string key)
    {
        if (replay is null) return null;
        lock (replay) return replay.Remove(key, out var record) ? record : null;
    }

    /// <summary>When the Wait <paramref name="key"/> ends: as the checkpoint recorded it for a resumed Wait, else <paramref name="end"/>.
    /// Kept until <see cref="WaitEnded"/>, so a checkpoint taken meanwhile resumes the Wait with the time it has left.</summary>
    public DateTimeOffset WaitStarted(string key, DateTimeOffset end)
    {
        lock (StateGate)
        {
            if (resumedWaits is not null && resumedWaits.Remove(key, out var recorded)) end = recorded;
            waits[key] = end;
            return end;
        }
    }

    public void WaitEnded(string key)
    {
        lock (StateGate) waits.Remove(key);
    }

    public RunCheckpoint Capture()
    {
        lock (StateGate)
        {
            var completed = new List<ActionRun>();
            foreach (var record in Run.StoredActions())
            {
                var repetitions = record.Repetitions;
                if (repetitions.Count > 0)
                {
                    foreach (var repetition in repetitions)
                    {
                        if (repetition.IsCompleted) completed.Add(repetition);
                    }
                }
                else if (record.IsCompleted)
                {
                    completed.Add(record);
                }
            }
            return new RunCheckpoint(Run, completed, Variables.Snapshot(), new Dictionary<string, DateTimeOffset>(waits, StringComparer.Ordinal));
        }
    }

    public WorkflowEngine Engine { get; }

    public LogicApp App => Engine.App;

    public WorkflowDefinition Definition { get; }

    public WorkflowRun Run { get; }

    public TimeProvider Clock => Engine.Clock;

    public RunVariables Variables { get; } = new();

    /// <summary>Cancelled when the run is terminated or the caller gives up.</summary>
    public CancellationToken CancellationToken => cancellation.Token;

    public bool IsTerminated { get; private set; }

    public string? TerminatedBy { get; private set; }

    public WorkflowStatus TerminatedStatus { get; private set; }

    public JObject? TerminatedError { get; private set; }

    /// <summary>Completes when a Response action answered or the run finished without one.</summary>
    public Task<RunResponse> Response => response.Task;

    /// <summary><c>workflow()</c>, built when an expression asks for the whole object.</summary>
    public JObject WorkflowObject => workflowObject ??= BuildWorkflowObject();

    /// <summary><c>workflow()['run']</c>: the same token as in <see cref="WorkflowObject"/> (which adopts it when it is built
    /// later), made alone for <c>workflow()?['run']?['name']</c>, which every subscriber run evaluates.</summary>
    public JObject WorkflowRunObject => workflowObject?["run"] as JObject ?? (workflowRunObject ??= BuildWorkflowRunObject());

    public void Terminate(string actionName, WorkflowStatus status, JObject? error)
    {
        lock (response)
        {
            if (IsTerminated) return;
            IsTerminated = true;
            TerminatedBy = actionName;
            TerminatedStatus = status;
            TerminatedError = error;
        }
        cancellation.Cancel();
    }

    /// <summary>Records the Response action's answer; false when the request was already answered.</summary>
    public bool TryRespond(RunResponse answer)
    {
        if (Interlocked.Exchange(ref responded, 1) == 1) return false;
        Run.Response = answer;
        response.TrySetResult(answer);
        return true;
    }

    public void FinishResponse(RunResponse fallback) => response.TrySetResult(fallback);

    public async Task ExecuteAsync()
    {
        var runner = new ContainerRunner(this);
        WorkflowStatus status;
        try
        {
            status = await runner.RunContainerAsync(Definition.Root, ExecutionFrame.CreateRoot()).ConfigureAwait(false);
        }
        catch (Exception) when (IsInterrupted)
        {
            // Stopped where it is: the run stays Running at its last checkpoint, and a resume continues it.
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The engine itself failed: never lose the run, record why.
            status = WorkflowStatus.Failed;
            Run.Error = new JObject { ["code"] = "InternalServerError", ["message"] = $"The run failed inside the local engine: {ex.Message}" };
        }

        if (IsInterrupted) return;
        if (IsTerminated)
        {
            Run.Status = TerminatedStatus;
            Run.Error = TerminatedStatus == WorkflowStatus.Failed ? TerminatedError : null;
        }
        else
        {
            Run.Status = status.IsFailure() ? WorkflowStatus.Failed : WorkflowStatus.Succeeded;
            if (Run.Status == WorkflowStatus.Failed && Run.Error is null)
                Run.Error = new JObject { ["code"] = "ActionFailed", ["message"] = "An action failed. No dependent actions succeeded." };
        }
        Run.EndTime = Clock.GetUtcNow();
        cancellation.Dispose();
    }

    private JObject BuildWorkflowObject() => new()
    {
        ["id"] = WorkflowResourceId,
        ["name"] = Definition.Name,
        ["type"] = "Microsoft.Web/sites/workflows",
        ["location"] = App.AppSettings.TryGetValue("REGION_NAME", out var region) ? region : "local",
        ["run"] = workflowRunObject ?? BuildWorkflowRunObject(),
        ["tags"] = new JObject(),
    };

    private JObject BuildWorkflowRunObject() =>
        new() { ["id"] = $"{WorkflowResourceId}/runs/{Run.Id}", ["name"] = Run.Id, ["type"] = "Microsoft.Web/sites/workflows/runs" };

    private string WorkflowResourceId =>
        $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Web/sites/{App.Name}/workflows/{Definition.Name}";
}
