using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// The inputs and outputs of the records <see cref="IExpressionScope.Trigger"/>, <see cref="IExpressionScope.Action"/> and
/// <see cref="IExpressionScope.CurrentAction"/> give, read without building the record. The evaluator asks for them only
/// where an expression selects inside them (<c>body('X')</c>, <c>triggerBody()?['id']</c>,
/// <c>action()?['outputs']?['body']</c>): what it hands on is then a child of the value, never the value itself, which
/// belongs to the run's record and has no parent (docs/runtime/engine.md, "Values and copies"). A scope without this
/// capability is asked for the whole record, as before.
/// </summary>
internal interface IRecordValues
{
    /// <summary><c>trigger()['inputs']</c> or <c>trigger()['outputs']</c>; null when the record holds none.</summary>
    JToken? TriggerValue(bool inputs);

    /// <summary><c>actions(name)['inputs'|'outputs']</c>, or with a null name <c>action()['inputs'|'outputs']</c>; the same
    /// <see cref="ExpressionScopeException"/> as <see cref="IExpressionScope.Action"/> when there is no such record.</summary>
    JToken? ActionValue(string? name, bool inputs);

    /// <summary><c>workflow()['run']</c> (the run's <c>id</c>, <c>name</c> and <c>type</c>) without building the rest of the
    /// workflow object, for <c>workflow()?['run']?['name']</c>; null when this scope's workflow object has no run (the
    /// evaluator then selects from the whole object, with its errors).</summary>
    JObject? WorkflowRun();
}
