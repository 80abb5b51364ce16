using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Engine;

/// <summary>
/// What trigger-level expressions (<c>splitOn</c>, <c>conditions</c>, <c>correlation.clientTrackingId</c>,
/// trigger inputs) can see before a run exists: the trigger record, parameters and app settings. <paramref name="triggerValues"/>
/// gives the trigger's inputs (true) or outputs (false) themselves, for expressions that select inside them without the record.
/// </summary>
internal sealed class TriggerScope(WorkflowEngine engine, WorkflowDefinition definition, Func<JObject>? triggerRecord, Func<bool, JToken?>? triggerValues = null)
    : IExpressionScope, IRecordValues
{
    private JObject? record;

    public DateTimeOffset UtcNow => engine.Clock.GetUtcNow();

    public JToken Parameter(string name)
    {
        if (engine.App.Parameters.TryGetValue(name, out var value)) return value;
        if (definition.ParameterDefaults.TryGetValue(name, out var defaultValue)) return defaultValue;
        throw new ExpressionScopeException($"The workflow parameter '{name}' is not found.");
    }

    public JToken AppSetting(string name) =>
        engine.App.AppSettings.TryGetValue(name, out var value) ? value : throw new ExpressionScopeException($"The app setting '{name}' is not found.");

    public JToken Trigger() => record ??= triggerRecord?.Invoke() ?? throw NotAvailable("trigger");

    public JToken? TriggerValue(bool inputs) => triggerValues is null ? throw NotAvailable("trigger") : triggerValues(inputs);

    public JToken? ActionValue(string? name, bool inputs) => throw NotAvailable(name is null ? "action" : "actions");

    public JObject? WorkflowRun() => null;

    /// <summary>The trigger record, if an expression asked for it.</summary>
    internal JObject? BuiltRecord => record;

    public JToken Workflow() => new JObject { ["name"] = definition.Name, ["type"] = "Microsoft.Web/sites/workflows", ["tags"] = new JObject() };

    public JToken Variable(string name) => throw NotAvailable("variables");
    public JToken Action(string name) => throw NotAvailable("actions");
    public JToken CurrentAction() => throw NotAvailable("action");
    public JToken Item(string? loopName) => throw NotAvailable("item");
    public int IterationIndex(string loopName) => throw NotAvailable("iterationIndexes");
    public JToken Result(string scopeName) => throw NotAvailable("result");

    private static ExpressionScopeException NotAvailable(string function) =>
        new($"The function '{function}' can't be used in a trigger's splitOn, conditions, correlation or inputs.");
}
