using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.History;

/// <summary>
/// The saved state of a Stateful run that has not finished: its identity and trigger, every action that completed
/// (inputs, outputs, status, repetitions), the variables, and the Waits in progress with the time each one ends.
/// What a host that restarts resumes the run from, as Azure resumes an interrupted run from its saved state; an action
/// that was in flight is not in it and runs again.
/// </summary>
public sealed class RunCheckpoint
{
    internal RunCheckpoint(WorkflowRun run, IReadOnlyList<ActionRun> completed, IReadOnlyList<CheckpointVariable> variables, IReadOnlyDictionary<string, DateTimeOffset> waits)
    {
        Run = run;
        Completed = completed;
        Variables = variables;
        Waits = waits;
    }

    /// <summary>The run as the history shows it (status Running).</summary>
    public WorkflowRun Run { get; }

    /// <summary>The records of the actions that completed, repetitions of loop actions one by one (each with its
    /// <see cref="ActionRun.RepetitionIndexes"/>).</summary>
    public IReadOnlyList<ActionRun> Completed { get; }

    internal IReadOnlyList<CheckpointVariable> Variables { get; }

    /// <summary>Waits in progress: <see cref="ReplayKey"/> of the Wait action → when it ends.</summary>
    internal IReadOnlyDictionary<string, DateTimeOffset> Waits { get; }

    /// <summary>Identifies one execution of an action: its name, and its loop positions when inside loops.</summary>
    internal static string ReplayKey(string actionName, IReadOnlyList<RepetitionIndex> repetition)
    {
        if (repetition.Count == 0) return actionName;
        var key = new System.Text.StringBuilder(actionName);
        foreach (var index in repetition) key.Append('|').Append(index.ScopeName).Append(':').Append(index.ItemIndex);
        return key.ToString();
    }
}

/// <summary>A variable as a checkpoint keeps it: its declared type and its value when the checkpoint was taken.</summary>
internal sealed record CheckpointVariable(string Name, VariableType Type, JToken Value);

/// <summary>What the engine hands a durable history while a run executes: the run, and a way to capture its state.</summary>
public interface ICheckpointSource
{
    WorkflowRun Run { get; }

    /// <summary>The run's state now (completed actions, variables, Waits in progress).</summary>
    RunCheckpoint Capture();
}
