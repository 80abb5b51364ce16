namespace Workflows.Runtime;

/// <summary>Status of a run, a trigger or an action, named as Logic Apps names them in run history.</summary>
public enum WorkflowStatus
{
    Running,
    Waiting,
    Succeeded,
    Failed,
    Skipped,
    TimedOut,
    Cancelled,
    Aborted,
}

internal static class WorkflowStatusExtensions
{
    public static bool IsFinished(this WorkflowStatus status) => status is not (WorkflowStatus.Running or WorkflowStatus.Waiting);

    /// <summary>Counts as a failure for a branch end (https://learn.microsoft.com/answers/questions/2114783): the run or container fails.</summary>
    public static bool IsFailure(this WorkflowStatus status) =>
        status is WorkflowStatus.Failed or WorkflowStatus.TimedOut or WorkflowStatus.Cancelled or WorkflowStatus.Aborted;
}
