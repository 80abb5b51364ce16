using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using Workflows.Runtime.Bindings;

namespace LocalLogicApp.Bindings.CustomCode;

/// <summary>
/// Runs the project's custom-code functions in-process for <c>InvokeFunction</c> actions, through the same
/// <see cref="FunctionCatalog"/> the Logic Apps host project mirrors. A catalog error (unknown function,
/// parameters that do not bind, a fault) fails the action with the catalog's message and code.
/// </summary>
public sealed class CustomCodeFunctionInvoker(FunctionCatalog catalog) : IFunctionInvoker
{
    public CustomCodeFunctionInvoker(CustomCodeServices services) : this(new FunctionCatalog(new OrderEventFunctions(services)))
    {
    }

    public bool HasFunction(string functionName) => FunctionCatalog.Find(functionName) is not null;

    public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.InvokeAsync(functionName, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (FunctionInvocationException ex)
        {
            throw new InvalidOperationException($"{ex.Code}: {ex.Message}", ex);
        }
    }
}
