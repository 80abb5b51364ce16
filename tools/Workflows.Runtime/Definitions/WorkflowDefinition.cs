using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Definitions;

/// <summary>One workflow (<c>workflow.json</c>), validated and prepared for execution.</summary>
public sealed class WorkflowDefinition
{
    internal WorkflowDefinition(string name, string kind, string? folder, JObject json)
    {
        Name = name;
        Kind = kind;
        Folder = folder;
        Json = json;
    }

    public string Name { get; }

    /// <summary><c>Stateful</c> or <c>Stateless</c>.</summary>
    public string Kind { get; }

    /// <summary>The workflow's folder (where <c>.csx</c> files live); null for in-memory definitions.</summary>
    public string? Folder { get; }

    /// <summary>The workflow.json as loaded (read-only by convention).</summary>
    public JObject Json { get; }

    public TriggerDefinition Trigger { get; internal set; } = null!;

    /// <summary>Every action of the workflow by name, nested ones included (names are unique per workflow).</summary>
    public IReadOnlyDictionary<string, ActionDefinition> Actions => AllActions;

    internal Dictionary<string, ActionDefinition> AllActions { get; } = new(StringComparer.Ordinal);

    internal ActionContainer Root { get; set; } = null!;

    /// <summary>Definition <c>parameters</c> with their <c>defaultValue</c>.</summary>
    internal Dictionary<string, JToken> ParameterDefaults { get; } = new(StringComparer.Ordinal);

    internal bool HasResponseAction { get; set; }
}

/// <summary>The set of actions that run together: the workflow's top level, a Scope, a loop body, a branch.</summary>
internal sealed class ActionContainer
{
    public ActionContainer(ActionDefinition? owner, string branch)
    {
        Owner = owner;
        Branch = branch;
    }

    /// <summary>The Scope/If/Switch/Foreach/Until holding these actions; null at the workflow's top level.</summary>
    public ActionDefinition? Owner { get; }

    /// <summary><c>actions</c>, <c>else</c>, a case name or <c>default</c>.</summary>
    public string Branch { get; }

    public List<ActionDefinition> Actions { get; } = [];

    /// <summary>Indexes of the actions nothing runs after: their statuses decide the container's status.</summary>
    public int[] BranchEnds { get; set; } = [];
}

public sealed class ActionDefinition
{
    internal ActionDefinition(string name, string type, ActionKind kind, JObject json)
    {
        Name = name;
        Type = type;
        Kind = kind;
        Json = json;
    }

    public string Name { get; }

    /// <summary>The <c>type</c> as written in the definition.</summary>
    public string Type { get; }

    public ActionKind Kind { get; }

    public JObject Json { get; }

    /// <summary>The container action this one sits in (null at the top level).</summary>
    public ActionDefinition? Parent => Container.Owner;

    internal ActionContainer Container { get; set; } = null!;

    internal int Index { get; set; }

    internal int Depth { get; set; }

    internal RunAfterCondition[] RunAfter { get; set; } = [];

    internal int[] Successors { get; set; } = [];

    internal CompiledTemplate Inputs { get; set; } = CompiledTemplate.Null;

    internal CompiledTemplate? TrackedProperties { get; set; }

    internal TimeSpan? Timeout { get; set; }

    internal bool SecureInputs { get; set; }

    internal bool SecureOutputs { get; set; }

    internal HashSet<string> OperationOptions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    // Containers.
    internal ActionContainer? Body { get; set; }
    internal ActionContainer? Else { get; set; }
    internal List<SwitchCaseDefinition> Cases { get; } = [];
    internal ActionContainer? Default { get; set; }

    // If, Switch, Until, Foreach.
    internal Condition? Condition { get; set; }
    internal CompiledTemplate? Expression { get; set; }
    internal CompiledTemplate? ForeachItems { get; set; }
    internal CompiledTemplate? ItemTemplate { get; set; }
    internal int Repetitions { get; set; } = 20;
    internal CompiledTemplate? UntilCount { get; set; }
    internal CompiledTemplate? UntilTimeout { get; set; }

    /// <summary>CSharpScriptCode: the absolute path of the <c>.csx</c> file.</summary>
    internal string? CodeFilePath { get; set; }

    /// <summary>Loop-body depth: how many Foreach/Until enclose this action (0 = not repeated).</summary>
    internal int LoopDepth { get; set; }

    internal bool IsContainer => Kind is ActionKind.Scope or ActionKind.If or ActionKind.Switch or ActionKind.Foreach or ActionKind.Until;

    // Why this action is skipped when its branch is not taken, or when the container holding it did not run: they name
    // only actions of the definition, so each text is made once, not once per skipped action of every run.
    private string? branchNotTakenMessage, containerDidNotRunMessage;

    internal string BranchNotTakenMessage =>
        branchNotTakenMessage ??= $"The execution of template action '{Name}' is skipped: the branching condition for this action is not satisfied.";

    internal string ContainerDidNotRunMessage(ActionDefinition owner) =>
        containerDidNotRunMessage ??= $"The execution of template action '{Name}' is skipped: the action '{owner.Name}' that contains it did not run it.";

    public override string ToString() => $"{Name} ({Type})";
}

internal sealed record SwitchCaseDefinition(string Name, JToken Value, ActionContainer Actions);

[Flags]
internal enum StatusMask
{
    None = 0,
    Succeeded = 1,
    Failed = 2,
    Skipped = 4,
    TimedOut = 8,
}

internal readonly record struct RunAfterCondition(int PredecessorIndex, string PredecessorName, StatusMask Allowed, string[] AllowedNames);

public sealed class TriggerDefinition
{
    internal TriggerDefinition(string name, string type, TriggerKind kind, JObject json)
    {
        Name = name;
        Type = type;
        Kind = kind;
        Json = json;
    }

    public string Name { get; }

    public string Type { get; }

    public TriggerKind Kind { get; }

    public JObject Json { get; }

    /// <summary>Request trigger: <c>inputs.schema</c>.</summary>
    public JObject? Schema { get; internal set; }

    /// <summary><c>runtimeConfiguration.concurrency.runs</c> (null: not limited by the workflow).</summary>
    public int? ConcurrentRuns { get; internal set; }

    internal CompiledTemplate Inputs { get; set; } = CompiledTemplate.Null;

    internal CompiledTemplate? SplitOn { get; set; }

    internal CompiledTemplate? ClientTrackingId { get; set; }

    internal List<CompiledTemplate> Conditions { get; } = [];

    internal bool SecureInputs { get; set; }

    internal bool SecureOutputs { get; set; }

    internal HashSet<string> OperationOptions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    internal RecurrenceSchedule? Recurrence { get; set; }
}

internal sealed record RecurrenceSchedule(string Frequency, int Interval, DateTimeOffset? StartTime);
