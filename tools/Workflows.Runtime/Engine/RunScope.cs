using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Expressions;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Engine;

/// <summary>What expressions see while one action of one run is evaluated.</summary>
internal sealed class RunScope(RunExecution execution, ExecutionFrame frame, ActionRun? current) : IExpressionScope, IRecordValues
{
    public DateTimeOffset UtcNow => execution.Clock.GetUtcNow();

    public JToken Parameter(string name)
    {
        if (execution.App.Parameters.TryGetValue(name, out var value)) return value;
        if (execution.Definition.ParameterDefaults.TryGetValue(name, out var defaultValue)) return defaultValue;
        throw new ExpressionScopeException($"The workflow parameter '{name}' is not found.");
    }

    public JToken AppSetting(string name) =>
        execution.App.AppSettings.TryGetValue(name, out var value)
            ? value
            : throw new ExpressionScopeException($"The app setting '{name}' is not found.");

    public JToken Variable(string name) => execution.Variables.Get(name);

    public JToken Trigger() => execution.Run.Trigger.ToRecord();

    public JToken Action(string name) => FindRecord(name)?.ToRecord() ?? throw MissingAction(name);

    /// <summary>The named action's record object (what <see cref="Action"/> builds its JSON from), with the same error when
    /// there is none.</summary>
    internal ActionRun ActionRecord(string name) => FindRecord(name) ?? throw MissingAction(name);

    internal TriggerRun TriggerRecord => execution.Run.Trigger;

    public JToken CurrentAction() => (current ?? throw NoCurrentAction()).ToRecord();

    public JToken? TriggerValue(bool inputs) => inputs ? execution.Run.Trigger.RawInputs : execution.Run.Trigger.RawOutputs;

    public JToken? ActionValue(string? name, bool inputs)
    {
        var record = name is null ? current ?? throw NoCurrentAction() : FindRecord(name) ?? throw MissingAction(name);
        return inputs ? record.RawInputs : record.RawOutputs;
    }

    private static ExpressionScopeException NoCurrentAction() =>
        new("The 'action()' function can only be used in trackedProperties and Until conditions.");

    public JToken Item(string? loopName)
    {
        for (var f = frame; f is not null; f = f.Parent)
        {
            if (f.Loop is null) continue;
            if (loopName is null)
            {
                if (f.Loop.Kind != ActionKind.Until) return f.Item ?? JValue.CreateNull();
            }
            else if (f.Loop.Name == loopName && f.Loop.Kind != ActionKind.Until)
            {
                return f.Item ?? JValue.CreateNull();
            }
        }
        throw new ExpressionScopeException(loopName is null
            ? "The 'item()' function can only be used inside a For each loop, Filter array or Select."
            : $"The 'items' function refers to '{loopName}', which is not a For each loop enclosing this action.");
    }

    public int IterationIndex(string loopName)
    {
        for (var f = frame; f is not null; f = f.Parent)
        {
            if (f.Loop is { } loop && loop.Name == loopName && loop.Kind is ActionKind.Until or ActionKind.Foreach) return f.Index;
        }
        throw new ExpressionScopeException($"The 'iterationIndexes' function refers to '{loopName}', which is not an Until loop enclosing this action.");
    }

    public JToken Result(string scopeName)
    {
        if (!execution.Definition.AllActions.TryGetValue(scopeName, out var scope) || !scope.IsContainer)
            throw new ExpressionScopeException($"The 'result' function needs the name of a Scope, Condition, Switch, For each or Until action; '{scopeName}' is not one.");
        var records = new JArray();
        foreach (var container in Containers(scope))
        {
            foreach (var child in container.Actions)
            {
                if (FindRecord(child.Name) is { } record) records.Add(record.ToRecord());
            }
        }
        return records;
    }

    public JToken Workflow() => execution.WorkflowObject;

    public JObject? WorkflowRun() => execution.WorkflowRunObject;

    private ActionRun? FindRecord(string name)
    {
        for (var f = frame; f is not null && !f.IsRoot; f = f.Parent)
        {
            if (f.TryGet(name, out var record)) return record;
        }
        return execution.Run.TryGetAction(name, out var top) ? top : null;
    }

    private ExpressionScopeException MissingAction(string name) =>
        execution.Definition.AllActions.ContainsKey(name)
            ? new ExpressionScopeException($"The action '{name}' has not run yet in this run; an action can only use the results of actions that finished before it.")
            : new ExpressionScopeException($"The template action '{name}' is not defined in the workflow.");

    internal static IEnumerable<ActionContainer> Containers(ActionDefinition action)
    {
        if (action.Body is not null) yield return action.Body;
        if (action.Else is not null) yield return action.Else;
        foreach (var switchCase in action.Cases) yield return switchCase.Actions;
        if (action.Default is not null) yield return action.Default;
    }
}
