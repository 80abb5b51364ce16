using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>The state of one run while it executes: its record, variables, response and termination.</summary>
internal sealed class RunExecution
{
    private readonly TaskCompletionSource<RunResponse> response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource cancellation;
    private JObject? workflowObject;
    private int responded;

    public RunExecution(WorkflowEngine engine, WorkflowDefinition definition, WorkflowRun run, CancellationToken cancellationToken)
    {
        Engine = engine;
        Definition = definition;
        Run = run;
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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

    public JObject WorkflowObject => workflowObject ??= BuildWorkflowObject();

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
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The engine itself failed: never lose the run, record why.
            status = WorkflowStatus.Failed;
            Run.Error = new JObject { ["code"] = "InternalServerError", ["message"] = $"The run failed inside the local engine: {ex.Message}" };
        }

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

    private JObject BuildWorkflowObject()
    {
        var id = $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Web/sites/{App.Name}/workflows/{Definition.Name}";
        return new JObject
        {
            ["id"] = id,
            ["name"] = Definition.Name,
            ["type"] = "Microsoft.Web/sites/workflows",
            ["location"] = App.AppSettings.TryGetValue("REGION_NAME", out var region) ? region : "local",
            ["run"] = new JObject { ["id"] = $"{id}/runs/{Run.Id}", ["name"] = Run.Id, ["type"] = "Microsoft.Web/sites/workflows/runs" },
            ["tags"] = new JObject(),
        };
    }
}
