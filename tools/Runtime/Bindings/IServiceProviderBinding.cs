using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Bindings;

/// <summary>
/// A built-in connector (<c>"type": "ServiceProvider"</c>), chosen by <c>serviceProviderId</c>
/// (e.g. <c>/serviceProviders/serviceBus</c>, <c>/serviceProviders/sap</c>) and dispatched by
/// <c>operationId</c>. The same binding serves the connector's actions and its triggers.
/// </summary>
public interface IServiceProviderBinding
{
    /// <summary>The <c>serviceProviderId</c> it serves (compared case-insensitively).</summary>
    string ServiceProviderId { get; }

    /// <summary>Runs an action. A failure the connector reports (e.g. lock lost) is a result with a
    /// non-2xx status and an error body, not an exception; exceptions are faults of the binding itself.</summary>
    Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken);

    /// <summary>Starts delivering trigger events. Each call of <paramref name="fire"/> is one trigger
    /// firing whose outputs are given (<c>body</c> is the array that <c>splitOn</c> debatches). The binding
    /// stops when the token is cancelled. Bindings without triggers throw <see cref="NotSupportedException"/>.</summary>
    Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken);
}

/// <param name="OperationId">The connector operation, e.g. <c>completeTopicMessageV2</c>.</param>
/// <param name="ConnectionName">Key in <c>serviceProviderConnections</c>.</param>
/// <param name="Connection">The connection's <c>parameterValues</c>, with <c>@appsetting</c>/<c>@parameters</c> resolved.</param>
/// <param name="Parameters">The action's <c>inputs.parameters</c>, expressions evaluated.</param>
public sealed record ServiceProviderRequest(
    string WorkflowName,
    string OperationName,
    string ServiceProviderId,
    string OperationId,
    string ConnectionName,
    JObject Connection,
    JObject Parameters);

/// <summary>A connector's answer: becomes the action's <c>outputs</c> (<c>statusCode</c>, <c>headers</c>, <c>body</c>).</summary>
public sealed record ConnectorResponse(int StatusCode, JToken? Body = null, JObject? Headers = null)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
