using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Bindings;

/// <summary>
/// A managed connector as Power Automate (and Logic Apps Consumption) calls it: <c>"type": "OpenApiConnection"</c>
/// actions and <c>"type": "OpenApiConnectionWebhook"</c> triggers whose <c>inputs.host</c> names the API
/// (<c>apiId</c>, e.g. <c>/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps</c>), the connector's
/// <c>operationId</c> (e.g. <c>UpdateRecord</c>, <c>SubscribeWebhookTrigger</c>) and the connection reference
/// (<c>connectionName</c>, a key of the flow's <c>connectionReferences</c>); <c>inputs.parameters</c> carries the
/// operation's parameters by name, with the designer's <c>item/column</c> slash paths as they are. Shapes: Learn,
/// "Work with cloud flows using code" (https://learn.microsoft.com/power-automate/manage-flows-with-code).
/// </summary>
public interface IOpenApiConnectionBinding
{
    /// <summary>The API it serves: the last segment of <c>apiId</c> (e.g. <c>shared_commondataserviceforapps</c>), compared case-insensitively.</summary>
    string ApiName { get; }

    /// <summary>Runs an operation. A failure the connector reports is a result with a non-2xx status and an
    /// <c>{error: {code, message}}</c> body; exceptions are faults of the binding itself.</summary>
    Task<ConnectorResponse> InvokeAsync(OpenApiConnectionRequest request, CancellationToken cancellationToken);

    /// <summary>Subscribes a webhook trigger and fires it (one call of <paramref name="fire"/> per event, with the
    /// trigger's outputs <c>{headers, body}</c>) until the token is cancelled. The contract of <paramref name="fire"/>
    /// is <see cref="IServiceProviderBinding.RunTriggerAsync"/>'s: it completes once the runs have started.</summary>
    Task RunWebhookTriggerAsync(OpenApiConnectionRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken);
}

/// <param name="OperationName">The action's (or trigger's) name in the definition.</param>
/// <param name="Parameters">The operation's <c>inputs.parameters</c>, expressions evaluated.</param>
public sealed record OpenApiConnectionRequest(
    string WorkflowName,
    string OperationName,
    string ApiId,
    string OperationId,
    string ConnectionName,
    JObject Parameters)
{
    /// <summary>The last segment of <see cref="ApiId"/>.</summary>
    public string ApiName => ApiId.TrimEnd('/').Split('/')[^1];
}

/// <summary>An <c>ActiveDirectoryOAuth</c> authentication of an HTTP action: who asks (tenant, client id and its
/// credential) for a token meant for <see cref="Audience"/>. The credential is never logged.</summary>
public sealed record OAuthTokenRequest(string? Authority, string? Tenant, string Audience, string ClientId, string? Secret);
