using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Actions;

/// <summary>InvokeFunction (custom code), ServiceProvider (built-in connectors) and ApiConnection (managed connectors).</summary>
internal static class ConnectorActions
{
    public static async ValueTask<WorkflowStatus> InvokeFunctionAsync(ActionContext context)
    {
        // The function gets the run's own values (IFunctionInvoker: it must not change them), so the inputs need no copy of them.
        var inputs = context.EvaluateReadOnlyInputs();
        var name = inputs["functionName"]?.ToString() ?? "";
        var invoker = context.Engine.Options.FunctionInvoker;
        if (invoker is null || !invoker.HasFunction(name))
            throw ActionFailure.BadRequest("FunctionNotFound", $"The function '{name}' called by action '{context.Action.Name}' does not exist in this logic app's custom code.");
        var parameters = inputs["parameters"] as JObject ?? new JObject();
        JToken result;
        try
        {
            result = await invoker.InvokeAsync(name, parameters, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            throw new ActionFailure("InvokeFunctionFailed", "InvokeFunctionFailed", $"The function '{name}' failed: {ex.Message}");
        }
        context.Record.RawOutputs = new JObject { ["body"] = result };
        context.Record.Code = "OK";
        return WorkflowStatus.Succeeded;
    }

    public static async ValueTask<WorkflowStatus> ServiceProviderAsync(ActionContext context)
    {
        // The binding reads the run's own values (IServiceProviderBinding: it must not change them), so the inputs copy none.
        var inputs = context.EvaluateReadOnlyInputs();
        var configuration = inputs["serviceProviderConfiguration"] as JObject ?? new JObject();
        var connectionName = configuration.Value<string>("connectionName") ?? "";
        var serviceProviderId = configuration.Value<string>("serviceProviderId") ?? "";
        var operationId = configuration.Value<string>("operationId") ?? "";
        var engine = context.Engine;
        var connection = engine.ServiceProviderConnection(connectionName);
        var binding = engine.ServiceProviderBinding(serviceProviderId)
                      ?? throw ActionFailure.BadRequest("ServiceProviderNotFound",
                          $"No binding serves the service provider '{serviceProviderId}' used by action '{context.Action.Name}'.");
        var request = new ServiceProviderRequest(
            context.Execution.Definition.Name,
            context.Action.Name,
            serviceProviderId,
            operationId,
            connectionName,
            connection["parameterValues"] as JObject ?? new JObject(),
            inputs["parameters"] as JObject ?? new JObject());
        var policy = RetryPolicy.Read(inputs["retryPolicy"], context.Action.Name);
        var attempt = await Retrying.SendAsync(context, policy, async ct =>
        {
            var response = await binding.InvokeActionAsync(request, ct).ConfigureAwait(false);
            return new Retrying.Attempt(response, null, null);
        }).ConfigureAwait(false);
        return Complete(context, attempt.Response!);
    }

    public static async ValueTask<WorkflowStatus> ApiConnectionAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        var referenceName = inputs.SelectToken("host.connection.referenceName")?.ToString() ?? "";
        var engine = context.Engine;
        var connection = engine.ManagedApiConnection(referenceName);
        var binding = engine.Options.ApiConnectionBinding
                      ?? throw ActionFailure.BadRequest("ApiConnectionNotFound", $"No binding serves managed API connections (action '{context.Action.Name}').");
        var request = new ApiConnectionRequest(
            context.Execution.Definition.Name,
            context.Action.Name,
            referenceName,
            connection,
            inputs["method"]?.ToString()?.ToUpperInvariant() ?? "GET",
            inputs["path"]?.ToString() ?? "/",
            inputs["queries"] as JObject,
            inputs["headers"] as JObject,
            inputs["body"]);
        var policy = RetryPolicy.Read(inputs["retryPolicy"], context.Action.Name);
        var attempt = await Retrying.SendAsync(context, policy, async ct =>
        {
            try
            {
                var response = await binding.InvokeAsync(request, ct).ConfigureAwait(false);
                return new Retrying.Attempt(response, null, null);
            }
            catch (HttpRequestException ex)
            {
                return new Retrying.Attempt(null, ex, null);
            }
        }).ConfigureAwait(false);
        if (attempt.Response is null)
            throw ActionFailure.BadRequest("ConnectionFailure", $"The managed connection '{referenceName}' could not be reached: {attempt.Failure!.Message}");
        return Complete(context, attempt.Response);
    }

    /// <summary>Turns a connector/HTTP answer into outputs; 4xx/5xx (after retries) fail the action, keeping the outputs.</summary>
    public static WorkflowStatus Complete(ActionContext context, ConnectorResponse response)
    {
        var outputs = new JObject { ["statusCode"] = response.StatusCode };
        if (response.Headers is not null) outputs["headers"] = response.Headers;
        outputs["body"] = response.Body;
        var code = HttpCodes.Name(response.StatusCode);
        if (response.StatusCode < 400)
        {
            context.Record.RawOutputs = outputs;
            context.Record.Code = code;
            return WorkflowStatus.Succeeded;
        }
        // Connectors answer either {error: {code, message}} (managed APIs, HTTP) or, for built-in service providers,
        // {code: "ServiceProviderActionFailed", message: "... error code 'MessageLockLost' ..."} (Azure/logicapps#773):
        // either way the action's error carries the connector's own words, not just the status code.
        var error = response.Body is JObject answer && answer["error"] is JObject reported && reported["message"] is not null
            ? (JObject)reported.DeepClone()
            : response.Body is JObject flat && flat["code"]?.Type == JTokenType.String && flat["message"]?.Type == JTokenType.String
            ? new JObject { ["code"] = flat["code"]!.DeepClone(), ["message"] = flat["message"]!.DeepClone() }
            : new JObject
            {
                ["code"] = code,
                ["message"] = response.Body?.Type == JTokenType.String
                    ? (string)response.Body!
                    : $"The request of action '{context.Action.Name}' failed with status code {response.StatusCode} ({code}).",
            };
        throw new ActionFailure(code, error, outputs);
    }
}
