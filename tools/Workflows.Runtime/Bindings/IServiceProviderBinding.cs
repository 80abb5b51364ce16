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
    /// non-2xx status and an error body, not an exception; exceptions are faults of the binding itself.
    /// <para>The request's <c>Parameters</c> are the run's own values, not a copy (a message or document taken from
    /// another action's outputs is that action's value, which the action's recorded inputs show too): a binding reads them
    /// and must not change them, as with <see cref="IFunctionInvoker"/> (docs/runtime/engine.md, "Values passed whole to a
    /// function"). A connector in Azure runs outside the run and can't change its values.</para></summary>
    Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken);

    /// <summary>Starts delivering trigger events. Each call of <paramref name="fire"/> is one trigger
    /// firing whose outputs are given (<c>body</c> is the array that <c>splitOn</c> debatches). The engine takes the
    /// outputs as they are (each run keeps its item, taken out of the array): the binding builds them for that firing
    /// and does not use them again. The binding stops when the token is cancelled. Bindings without triggers throw <see cref="NotSupportedException"/>.
    /// <para>Contract of the task <paramref name="fire"/> returns (tests/Workflows.Runtime.Tests/Engine/TriggerFiring_Specs.cs):
    /// it is a <c>Task&lt;IReadOnlyList&lt;History.WorkflowRun&gt;&gt;</c> that completes once every run of the
    /// firing has <em>started</em> (each after waiting for a slot of the trigger's run concurrency) and lists them
    /// all (one per <c>splitOn</c> item, none when a trigger condition is false). It does NOT wait for the runs to
    /// end. When the firing cannot start (its conditions or splitOn cannot be evaluated) the call throws, directly or
    /// through the task, and no run started: the binding should give the events back (abandon), not drop them.</para>
    /// <para>Per-session order relies on this: the Service Bus session triggers deliver a session's next message only
    /// after the runs of the previous firing ended, so they await each listed run's <c>Completion</c> themselves
    /// (ServiceBusBinding.FireAsync, waitForRuns). A binding that needs that guarantee must do the same; a plain
    /// <c>await fire(...)</c> only means "started".</para></summary>
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
