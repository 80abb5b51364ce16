using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Bindings;

/// <summary>
/// A managed connector (<c>"type": "ApiConnection"</c>, e.g. Twilio, Teams): <c>host.connection.referenceName</c>
/// names an entry of <c>managedApiConnections</c>; the request is <c>method</c> + <c>path</c> (+ queries, body).
/// In Azure the request goes to the connection's <c>connectionRuntimeUrl</c>; the default local binding does the
/// same over HTTP, so a stand-in on loopback plays the connector.
/// </summary>
public interface IApiConnectionBinding
{
    Task<ConnectorResponse> InvokeAsync(ApiConnectionRequest request, CancellationToken cancellationToken);
}

/// <param name="Connection">The <c>managedApiConnections</c> entry, expressions resolved.</param>
public sealed record ApiConnectionRequest(
    string WorkflowName,
    string ActionName,
    string ConnectionName,
    JObject Connection,
    string Method,
    string Path,
    JObject? Queries,
    JObject? Headers,
    JToken? Body);
