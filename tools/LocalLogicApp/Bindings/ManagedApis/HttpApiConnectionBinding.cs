using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using Workflows.Runtime.Bindings;

namespace LocalLogicApp.Bindings.ManagedApis;

/// <summary>
/// Managed connectors (<c>ApiConnection</c> actions: Twilio, Teams) the way Azure runs them: the request goes to
/// the connection's <c>connectionRuntimeUrl</c> + the action's <c>path</c> (with its queries, headers and JSON
/// body). Locally the runtime URL points at a stand-in on loopback. The answer's status, headers and body
/// (JSON when it parses, text otherwise) become the action's outputs; a non-2xx status fails the action, as
/// the engine decides from the status. Nothing of the connection's authentication is sent: locally there is none.
/// </summary>
public sealed class HttpApiConnectionBinding(HttpClient http) : IApiConnectionBinding
{
    public async Task<ConnectorResponse> InvokeAsync(ApiConnectionRequest request, CancellationToken cancellationToken)
    {
        var runtimeUrl = request.Connection.Value<string>("connectionRuntimeUrl");
        if (string.IsNullOrWhiteSpace(runtimeUrl) || !Uri.TryCreate(runtimeUrl, UriKind.Absolute, out var baseUri))
        {
            return Failure(400, "ConnectionRuntimeUrlMissing",
                $"The managed API connection '{request.ConnectionName}' has no absolute 'connectionRuntimeUrl' (got '{runtimeUrl}').");
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method.ToUpperInvariant()), Combine(baseUri, request.Path, request.Queries));
        if (request.Body is not null && request.Body.Type != JTokenType.Null)
        {
            message.Content = request.Body.Type == JTokenType.String
                ? new StringContent((string)request.Body!, Encoding.UTF8, "text/plain")
                : new StringContent(request.Body.ToString(Formatting.None), Encoding.UTF8, "application/json");
        }
        foreach (var header in request.Headers?.Properties() ?? [])
        {
            var value = header.Value.Type == JTokenType.String ? (string)header.Value! : header.Value.ToString(Formatting.None);
            if (!message.Headers.TryAddWithoutValidation(header.Name, value)) message.Content?.Headers.TryAddWithoutValidation(header.Name, value);
        }

        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var headers = new JObject();
        foreach (var header in response.Headers.Concat(response.Content.Headers)) headers[header.Key] = string.Join(", ", header.Value);
        return new ConnectorResponse((int)response.StatusCode, ParseBody(text, response.Content.Headers.ContentType), headers);
    }

    /// <summary><c>connectionRuntimeUrl</c> ends with the connection's id; the action's path is appended to it.</summary>
    private static Uri Combine(Uri baseUri, string path, JObject? queries)
    {
        var builder = new StringBuilder(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append('/').Append(Uri.EscapeDataString(Uri.UnescapeDataString(segment)));
        }
        var separator = '?';
        foreach (var query in queries?.Properties() ?? [])
        {
            builder.Append(separator).Append(Uri.EscapeDataString(query.Name)).Append('=')
                .Append(Uri.EscapeDataString(query.Value.Type == JTokenType.String ? (string)query.Value! : query.Value.ToString(Formatting.None)));
            separator = '&';
        }
        return new Uri(builder.ToString());
    }

    private static JToken? ParseBody(string text, MediaTypeHeaderValue? contentType)
    {
        if (text.Length == 0) return null;
        if (contentType?.MediaType is { } media && !media.Contains("json", StringComparison.OrdinalIgnoreCase)) return text;
        try
        {
            return JsonContent.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static ConnectorResponse Failure(int status, string code, string message) =>
        new(status, new JObject { ["error"] = new JObject { ["code"] = code, ["message"] = message } });
}
