using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Bindings;

/// <summary>
/// Runs a custom-code function for an <c>InvokeFunction</c> action ("Call a local function in this logic
/// app"). The returned token becomes the action's <c>outputs.body</c>. Throw to fail the action; the
/// exception message becomes the action's error message.
/// </summary>
public interface IFunctionInvoker
{
    bool HasFunction(string functionName);

    Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken);
}
