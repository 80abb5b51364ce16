using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.Actions;

/// <summary>
/// The HTTP action: a real request through the engine's <see cref="HttpMessageHandler"/>, with the retry
/// policy, <c>Retry-After</c>, the asynchronous 202 + <c>Location</c> polling pattern, and outputs
/// <c>{statusCode, headers, body}</c> with the body parsed per Content-Type (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type).
/// </summary>
internal static class HttpAction
{
    private const int MaxPolls = 1000;
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    public static async ValueTask<WorkflowStatus> ExecuteAsync(ActionContext context)
    {
        var inputs = context.EvaluateInputs() as JObject
                     ?? throw ActionFailure.BadRequest("InvalidTemplate", $"The inputs of HTTP action '{context.Action.Name}' must be an object.");
        var method = inputs.Value<string>("method");
        var uriText = inputs["uri"]?.ToString();
        if (string.IsNullOrEmpty(method)) throw ActionFailure.BadRequest("InvalidTemplate", $"HTTP action '{context.Action.Name}' needs a 'method'.");
        if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw ActionFailure.BadRequest("InvalidTemplate", $"HTTP action '{context.Action.Name}' has uri '{uriText}', which is not an absolute http(s) URI.");
        uri = WithQueries(uri, inputs["queries"] as JObject);
        var policy = RetryPolicy.Read(inputs["retryPolicy"], context.Action.Name);
        var client = context.Engine.HttpClient;
        var bearer = await AccessTokenAsync(context, inputs["authentication"] as JObject).ConfigureAwait(false);

        var attempt = await Retrying.SendAsync(context, policy, ct => SendOnceAsync(client, new HttpMethod(method.ToUpperInvariant()), uri, inputs, bearer, ct)).ConfigureAwait(false);

        // Asynchronous pattern: 202 + Location is polled with GET until the answer is no longer 202.
        var polls = 0;
        while (attempt.Response is { StatusCode: 202 } accepted
               && !context.Action.OperationOptions.Contains("DisableAsyncPattern")
               && accepted.Headers?["Location"]?.ToString() is { } location
               && Uri.TryCreate(uri, location, out var pollUri)
               && polls++ < MaxPolls)
        {
            await context.Engine.DelayAsync(attempt.RetryAfter ?? DefaultPollInterval, context.CancellationToken).ConfigureAwait(false);
            attempt = await Retrying.SendAsync(context, policy, ct => SendOnceAsync(client, HttpMethod.Get, pollUri, null, bearer, ct)).ConfigureAwait(false);
        }

        if (attempt.Response is not { } response)
        {
            throw ActionFailure.BadRequest("HttpRequestFailed",
                $"The HTTP request of action '{context.Action.Name}' to '{uri.GetLeftPart(UriPartial.Path)}' failed: {attempt.Failure!.Message}");
        }
        return ConnectorActions.Complete(context, response);
    }

    /// <summary>
    /// The token of an <c>ActiveDirectoryOAuth</c> authentication (tenant, audience, clientId, secret: Learn, "Add
    /// authentication to outbound calls", https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app, "Microsoft Entra ID OAuth authentication"),
    /// from <see cref="EngineOptions.AccessTokens"/>; null for other types or when no token source is configured.
    /// A token that can't be had fails the action, as in Azure, without sending the request.
    /// </summary>
    private static async Task<string?> AccessTokenAsync(ActionContext context, JObject? authentication)
    {
        if (authentication is null || context.Engine.Options.AccessTokens is not { } tokens) return null;
        if (!"ActiveDirectoryOAuth".Equals(authentication.Value<string>("type"), StringComparison.OrdinalIgnoreCase)) return null;
        var audience = authentication.Value<string>("audience");
        var clientId = authentication.Value<string>("clientId");
        if (string.IsNullOrEmpty(audience) || string.IsNullOrEmpty(clientId))
            throw ActionFailure.BadRequest("InvalidTemplate", $"The ActiveDirectoryOAuth authentication of HTTP action '{context.Action.Name}' needs 'audience' and 'clientId'.");
        try
        {
            return await tokens(new OAuthTokenRequest(authentication.Value<string>("authority"), authentication.Value<string>("tenant"), audience, clientId,
                authentication.Value<string>("secret")), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw ActionFailure.BadRequest("AuthenticationFailed", $"HTTP action '{context.Action.Name}' could not get a token for '{audience}' as client '{clientId}': {ex.Message}");
        }
    }

    private static async Task<Retrying.Attempt> SendOnceAsync(HttpClient client, HttpMethod method, Uri uri, JObject? inputs, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (inputs is not null) Prepare(request, inputs);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var headers = new JObject();
            foreach (var header in response.Headers.Concat(response.Content.Headers)) headers[header.Key] = string.Join(",", header.Value);
            var body = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return new Retrying.Attempt(new ConnectorResponse((int)response.StatusCode, body, headers), null, RetryAfter(response));
        }
        catch (HttpRequestException ex)
        {
            return new Retrying.Attempt(null, ex, null);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new Retrying.Attempt(null, new TimeoutException("The request timed out.", ex), null);
        }
    }

    private static void Prepare(HttpRequestMessage request, JObject inputs)
    {
        string? contentType = null;
        if (inputs["headers"] is JObject headers)
        {
            foreach (var header in headers.Properties())
            {
                var value = header.Value.Type == JTokenType.String ? (string)header.Value! : header.Value.ToString(Formatting.None);
                if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = value;
                else if (!request.Headers.TryAddWithoutValidation(header.Name, value)) request.Headers.TryAddWithoutValidation(header.Name, value);
            }
        }
        if (inputs["authentication"] is JObject authentication) Authenticate(request, authentication);
        if (inputs["body"] is { } body && body.Type != JTokenType.Null) request.Content = Content(body, contentType);
        else if (contentType is not null) request.Content = new ByteArrayContent([]) { Headers = { { "Content-Type", contentType } } };
    }

    private static void Authenticate(HttpRequestMessage request, JObject authentication)
    {
        var type = authentication.Value<string>("type") ?? "";
        if (type.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{authentication.Value<string>("username")}:{authentication.Value<string>("password")}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
        else if (type.Equals("Raw", StringComparison.OrdinalIgnoreCase) && authentication.Value<string>("value") is { } raw)
        {
            request.Headers.TryAddWithoutValidation("Authorization", raw);
        }
        // ActiveDirectoryOAuth gets its token from EngineOptions.AccessTokens (SendOnceAsync); ManagedServiceIdentity
        // needs Azure: locally such a request goes out without a token.
    }

    private static HttpContent Content(JToken body, string? contentType)
    {
        if (body is JObject envelope && envelope["$content"] is { } encoded && envelope["$content-type"] is { } envelopeType)
        {
            var bytes = new ByteArrayContent(Convert.FromBase64String(encoded.ToString()));
            bytes.Headers.TryAddWithoutValidation("Content-Type", contentType ?? envelopeType.ToString());
            return bytes;
        }
        HttpContent content = body.Type == JTokenType.String
            ? new StringContent((string)body!, Encoding.UTF8)
            : new StringContent(body.ToString(Formatting.None), Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? (body.Type == JTokenType.String ? "text/plain; charset=utf-8" : "application/json; charset=utf-8"));
        return content;
    }

    /// <summary>JSON is stored parsed, text as a string, anything else as the <c>$content</c> envelope (CT docs).</summary>
    internal static async Task<JToken?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0) return null;
        var mediaType = content.Headers.ContentType?.MediaType ?? "";
        if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var text = Encoding.UTF8.GetString(bytes);
            try
            {
                return JsonContent.Parse(text);
            }
            catch (JsonException)
            {
                return text;
            }
        }
        if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || mediaType.Length == 0)
            return Encoding.UTF8.GetString(bytes);
        return new JObject { ["$content-type"] = content.Headers.ContentType!.ToString(), ["$content"] = Convert.ToBase64String(bytes) };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta) return delta;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - (response.Headers.Date ?? DateTimeOffset.UtcNow);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static Uri WithQueries(Uri uri, JObject? queries)
    {
        if (queries is null || queries.Count == 0) return uri;
        var builder = new StringBuilder(uri.Query.Length > 1 ? uri.Query[1..] : "");
        foreach (var query in queries.Properties())
        {
            if (builder.Length > 0) builder.Append('&');
            var value = query.Value.Type == JTokenType.String ? (string)query.Value! : query.Value.ToString(Formatting.None);
            builder.Append(Uri.EscapeDataString(query.Name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return new UriBuilder(uri) { Query = builder.ToString() }.Uri;
    }
}
