using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Bindings;

/// <summary>
/// Runs a custom-code function for an <c>InvokeFunction</c> action ("Call a local function in this logic
/// app"). The returned token becomes the action's <c>outputs.body</c>. Throw to fail the action; the
/// exception message becomes the action's error message.
/// <para><c>parameters</c> are the run's own values, not a copy (a message passed whole is the trigger's body itself,
/// which the run history records as the action's inputs too): an invoker reads them and must not change them. In Azure
/// the function runs in its own worker and receives a deserialized copy, so nothing it does to its parameters can reach
/// the run; an invoker whose functions may change what they are given copies it first (docs/runtime/engine.md, "Values
/// passed whole to a function").</para>
/// </summary>
public interface IFunctionInvoker
{
    bool HasFunction(string functionName);

    Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken);
}
