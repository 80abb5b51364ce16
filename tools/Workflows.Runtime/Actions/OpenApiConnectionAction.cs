using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Actions;

/// <summary>
/// <c>"type": "OpenApiConnection"</c>: a managed connector operation as Power Automate defines it (host.apiId,
/// host.operationId, host.connectionName and parameters by name), with the action's retry policy, answered by the
/// <see cref="IOpenApiConnectionBinding"/> of the API. Outputs are <c>{statusCode, headers, body}</c> like every
/// connector's; a 4xx/5xx after retries fails the action with the connector's own error.
/// </summary>
internal static class OpenApiConnectionAction
{
    public static async ValueTask<WorkflowStatus> ExecuteAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs();
        var request = Request(context.Engine, context.Execution.Definition.Name, context.Action.Name, inputs);
        var binding = context.Engine.OpenApiConnectionBinding(request.ApiName)
                      ?? throw ActionFailure.BadRequest("ApiNotFound", $"No binding serves the API '{request.ApiId}' used by action '{context.Action.Name}'.");
        var policy = RetryPolicy.Read(inputs["retryPolicy"], context.Action.Name);
        var attempt = await Retrying.SendAsync(context, policy, async ct =>
        {
            try
            {
                return new Retrying.Attempt(await binding.InvokeAsync(request, ct).ConfigureAwait(false), null, null);
            }
            catch (HttpRequestException ex)
            {
                return new Retrying.Attempt(null, ex, null);
            }
        }).ConfigureAwait(false);
        if (attempt.Response is null)
            throw ActionFailure.BadRequest("ConnectionFailure", $"The API '{request.ApiName}' could not be reached: {attempt.Failure!.Message}");
        return ConnectorActions.Complete(context, attempt.Response);
    }

    /// <summary>The request of an action's or trigger's evaluated inputs.</summary>
    internal static OpenApiConnectionRequest Request(WorkflowEngine engine, string workflowName, string operationName, JToken inputs) => new(
        workflowName,
        operationName,
        inputs.SelectToken("host.apiId")?.ToString() ?? "",
        inputs.SelectToken("host.operationId")?.ToString() ?? "",
        inputs.SelectToken("host.connectionName")?.ToString() ?? "",
        inputs["parameters"] as JObject ?? new JObject());
}
