using System.Threading.Channels;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;

namespace Workflows.Runtime.Testing;

/// <summary>
/// A built-in connector stand-in: answers each <c>operationId</c> with a lambda and records every call.
/// Triggers: <see cref="FireTrigger"/> queues one firing (its outputs) for <see cref="RunTriggerAsync"/>.
/// An operation without an answer fails the action with a message naming it.
/// </summary>
public sealed class FakeServiceProviderBinding(string serviceProviderId) : IServiceProviderBinding
{
    private readonly Dictionary<string, Func<ServiceProviderRequest, Task<ConnectorResponse>>> answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ServiceProviderRequest> calls = [];
    private readonly List<ServiceProviderRequest> triggerRequests = [];
    private readonly Channel<JObject> firings = Channel.CreateUnbounded<JObject>();

    public string ServiceProviderId { get; } = serviceProviderId;

    public IReadOnlyList<ServiceProviderRequest> Calls
    {
        get { lock (calls) return calls.ToArray(); }
    }

    /// <summary>The trigger subscriptions the engine opened (one per workflow using this connector as trigger).</summary>
    public IReadOnlyList<ServiceProviderRequest> TriggerRequests
    {
        get { lock (triggerRequests) return triggerRequests.ToArray(); }
    }

    public IReadOnlyList<ServiceProviderRequest> CallsTo(string operationId) =>
        Calls.Where(c => c.OperationId.Equals(operationId, StringComparison.OrdinalIgnoreCase)).ToList();

    public FakeServiceProviderBinding On(string operationId, Func<ServiceProviderRequest, ConnectorResponse> answer)
    {
        answers[operationId] = request => Task.FromResult(answer(request));
        return this;
    }

    public FakeServiceProviderBinding On(string operationId, Func<ServiceProviderRequest, CancellationToken, Task<ConnectorResponse>> answer)
    {
        answers[operationId] = request => answer(request, CancellationToken.None);
        return this;
    }

    public void FireTrigger(JObject outputs) => firings.Writer.TryWrite(outputs);

    public Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken)
    {
        // The call as recorded and answered has its own copy of the parameters (a connector runs outside the run): an
        // answer that changes them changes nothing of the run.
        request = request with { Parameters = (JObject)request.Parameters.DeepClone() };
        lock (calls) calls.Add(request);
        return answers.TryGetValue(request.OperationId, out var answer)
            ? answer(request)
            : throw new NotSupportedException($"The fake for '{ServiceProviderId}' has no answer for operation '{request.OperationId}' (action '{request.OperationName}').");
    }

    public async Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
    {
        lock (triggerRequests) triggerRequests.Add(trigger);
        try
        {
            while (await firings.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (firings.Reader.TryRead(out var outputs)) await fire(outputs, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>A managed-connector stand-in: answers by method + path prefix with a lambda and records every call.</summary>
public sealed class FakeApiConnectionBinding : IApiConnectionBinding
{
    private readonly List<(string Connection, string Method, string PathPrefix, Func<ApiConnectionRequest, ConnectorResponse> Answer)> answers = [];
    private readonly List<ApiConnectionRequest> calls = [];

    public IReadOnlyList<ApiConnectionRequest> Calls
    {
        get { lock (calls) return calls.ToArray(); }
    }

    /// <summary>Answers requests on <paramref name="connectionName"/> whose method matches and path starts with <paramref name="pathPrefix"/>.</summary>
    public FakeApiConnectionBinding On(string connectionName, string method, string pathPrefix, Func<ApiConnectionRequest, ConnectorResponse> answer)
    {
        answers.Add((connectionName, method, pathPrefix, answer));
        return this;
    }

    public Task<ConnectorResponse> InvokeAsync(ApiConnectionRequest request, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add(request);
        foreach (var (connection, method, prefix, answer) in answers)
        {
            if (connection.Equals(request.ConnectionName, StringComparison.OrdinalIgnoreCase)
                && method.Equals(request.Method, StringComparison.OrdinalIgnoreCase)
                && request.Path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return Task.FromResult(answer(request));
        }
        throw new NotSupportedException($"The managed-connection fake has no answer for {request.Method} {request.Path} on '{request.ConnectionName}' (action '{request.ActionName}').");
    }
}

/// <summary>Custom code stand-in: each function is a lambda over its parameters; every call is recorded. A lambda gets its
/// own copy of the parameters (as a function in Azure's worker does), so one that changes them changes nothing of the run.</summary>
public sealed class FakeFunctionInvoker : IFunctionInvoker
{
    private readonly Dictionary<string, Func<JObject, JToken>> functions = new(StringComparer.Ordinal);
    private readonly List<(string Function, JObject Parameters)> calls = [];

    public IReadOnlyList<(string Function, JObject Parameters)> Calls
    {
        get { lock (calls) return calls.ToArray(); }
    }

    public FakeFunctionInvoker On(string functionName, Func<JObject, JToken> function)
    {
        functions[functionName] = function;
        return this;
    }

    public bool HasFunction(string functionName) => functions.ContainsKey(functionName);

    public Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
    {
        lock (calls) calls.Add((functionName, parameters));
        return Task.FromResult(functions[functionName]((JObject)parameters.DeepClone()));
    }
}

/// <summary>HTTP stand-in for the Http action: answers with a lambda (or queued responses) and records requests.</summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, HttpResponseMessage>> queued = new();
    private readonly List<RecordedRequest> requests = [];
    private Func<HttpRequestMessage, HttpResponseMessage>? answer;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (requests) return requests.ToArray(); }
    }

    /// <summary>Answers every request not served by a queued response.</summary>
    public FakeHttpHandler Respond(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        answer = respond;
        return this;
    }

    /// <summary>Queues one answer (used once, in order); throwing <see cref="HttpRequestException"/> simulates a connection failure.</summary>
    public FakeHttpHandler Then(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        lock (queued) queued.Enqueue(respond);
        return this;
    }

    public FakeHttpHandler Then(int statusCode, string? json = null, params (string Name, string Value)[] headers) =>
        Then(_ => Response(statusCode, json, headers));

    public static HttpResponseMessage Response(int statusCode, string? json = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)statusCode);
        if (json is not null) response.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        lock (requests)
        {
            requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!,
                request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                    .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body));
        }
        Func<HttpRequestMessage, HttpResponseMessage>? respond;
        lock (queued) respond = queued.Count > 0 ? queued.Dequeue() : answer;
        if (respond is null) throw new InvalidOperationException($"The fake HTTP handler has no answer for {request.Method} {request.RequestUri}.");
        return respond(request);
    }
}

public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);
