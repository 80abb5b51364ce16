using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// What an expression can see of the running workflow: the seam between the expression evaluator (pure) and
/// the run engine that owns the state. Records follow the shape of Microsoft's action record
/// (<c>name, inputs, outputs, startTime, endTime, status, code, error, trackingId, clientTrackingId</c>).
/// Methods throw <see cref="ExpressionScopeException"/> when the thing asked for does not exist
/// (an undeclared parameter, an unknown action, <c>item()</c> outside a loop); the evaluator turns that
/// into an expression error naming the function.
/// </summary>
public interface IExpressionScope
{
    /// <summary>The instant <c>utcNow()</c>, <c>getFutureTime()</c> and <c>getPastTime()</c> use.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary><c>parameters('name')</c>.</summary>
    JToken Parameter(string name);

    /// <summary><c>appsetting('name')</c> (Standard only).</summary>
    JToken AppSetting(string name);

    /// <summary><c>variables('name')</c>.</summary>
    JToken Variable(string name);

    /// <summary><c>trigger()</c>: the trigger record (<c>triggerBody()</c> = its <c>outputs.body</c>).</summary>
    JToken Trigger();

    /// <summary><c>actions('name')</c>: the record of any action that ran (or was skipped) in this run.</summary>
    JToken Action(string name);

    /// <summary><c>action()</c>: the current action's record (trackedProperties, Until conditions).</summary>
    JToken CurrentAction();

    /// <summary><c>item()</c> (loopName null: innermost For each) or <c>items('loopName')</c>.</summary>
    JToken Item(string? loopName);

    /// <summary><c>iterationIndexes('untilName')</c>.</summary>
    int IterationIndex(string loopName);

    /// <summary><c>result('scopeName')</c>: records of the top-level actions inside a Scope, For each or Until.</summary>
    JToken Result(string scopeName);

    /// <summary><c>workflow()</c>: <c>{ id, name, type, location, run: { id, name, type }, tags }</c>.</summary>
    JToken Workflow();

    /// <summary>Randomness for <c>rand()</c> and <c>guid()</c>; null uses the shared, unseeded source. Tests and
    /// replays inject a seeded <see cref="System.Random"/> here.</summary>
    Random? Random => null;
}

/// <summary>Raised by a scope when an expression asks for something that is not there.</summary>
public sealed class ExpressionScopeException(string message) : Exception(message);
