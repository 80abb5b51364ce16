using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>
/// A run was stopped where it is, as when the host stops or dies: the action in flight did not complete, nothing more
/// was recorded, and the run stays Running at its last checkpoint until a resume continues it (the in-flight action then
/// runs again). Raised to whoever waits for the run (<see cref="WorkflowRun.Completion"/>).
/// </summary>
public sealed class RunInterruptedException : Exception
{
    private RunInterruptedException(string runId, string workflowName, string message) : base(message)
    {
        RunId = runId;
        WorkflowName = workflowName;
    }

    public string RunId { get; }

    public string WorkflowName { get; }

    internal static RunInterruptedException Stopped(WorkflowRun run) =>
        new(run.Id, run.WorkflowName, $"Run '{run.Id}' of workflow '{run.WorkflowName}' was interrupted (the host stopped); it resumes from its last checkpoint.");
}
