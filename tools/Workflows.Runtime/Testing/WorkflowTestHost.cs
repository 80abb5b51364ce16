using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using TestSupport;

namespace Workflows.Runtime.Testing;

/// <summary>
/// Runs workflows in tests: loads a Logic App (or inline definitions), wires fakes for every edge (custom
/// code, built-in and managed connectors, HTTP, clock) and runs a workflow with a trigger payload.
/// Replace any fake before the first run with the <c>Use...</c> methods.
/// </summary>
/// <example>
/// <code>
/// using var host = WorkflowTestHost.Load("path/to/LogicApp");
/// host.ServiceProvider("/serviceProviders/serviceBus").On("completeTopicMessageV2", _ => new ConnectorResponse(200));
/// host.Functions.On("ValidateOrderEvent", p => new JObject { ["isValid"] = true });
/// var run = await host.RunAsync("SapFulfillment", new JObject { ["body"] = new JArray(message) });
/// Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
/// </code>
/// </example>
public sealed class WorkflowTestHost : IDisposable
{
    private readonly Dictionary<string, IServiceProviderBinding> serviceProviders = new(StringComparer.OrdinalIgnoreCase);
    private IFunctionInvoker functionInvoker;
    private IApiConnectionBinding apiConnections;
    private readonly List<IOpenApiConnectionBinding> openApiConnections = [];
    private Func<OAuthTokenRequest, CancellationToken, Task<string>>? accessTokens;
    private HttpMessageHandler http;
    private WorkflowEngine? engine;

    private WorkflowTestHost(LogicApp app)
    {
        App = app;
        functionInvoker = Functions;
        apiConnections = ApiConnections;
        http = Http;
    }

    /// <summary>Loads a Logic App project folder (workflows, connections.json, parameters.json, local.settings.json or <paramref name="appSettings"/>).</summary>
    public static WorkflowTestHost Load(string logicAppRoot, IReadOnlyDictionary<string, string>? appSettings = null) =>
        new(LogicApp.Load(logicAppRoot, appSettings));

    /// <summary>One inline workflow (the whole workflow.json, or just its <c>definition</c>).</summary>
    public static WorkflowTestHost FromDefinition(
        string workflowName,
        string workflowJson,
        JObject? connections = null,
        JObject? parameters = null,
        IReadOnlyDictionary<string, string>? appSettings = null,
        string? folder = null)
    {
        var json = JObject.Parse(workflowJson);
        if (json["definition"] is null) json = new JObject { ["definition"] = json, ["kind"] = "Stateful" };
        return new WorkflowTestHost(LogicApp.Create([new WorkflowSource(workflowName, json, folder)], connections, parameters, appSettings));
    }

    public LogicApp App { get; }

    public ManualClock Clock { get; } = new();

    public FakeFunctionInvoker Functions { get; } = new();

    public FakeApiConnectionBinding ApiConnections { get; } = new();

    public FakeHttpHandler Http { get; } = new();

    public InMemoryRunHistory History { get; } = new();

    /// <summary>Seeded, so exponential retry intervals repeat from run to run.</summary>
    public Random Random { get; } = new(1234);

    /// <summary>The fake for a built-in connector, created on first use.</summary>
    public FakeServiceProviderBinding ServiceProvider(string serviceProviderId)
    {
        if (serviceProviders.TryGetValue(serviceProviderId, out var existing))
            return existing as FakeServiceProviderBinding
                   ?? throw new InvalidOperationException($"'{serviceProviderId}' is served by a real binding ({existing.GetType().Name}), not a fake.");
        EnsureNotStarted();
        var fake = new FakeServiceProviderBinding(serviceProviderId);
        serviceProviders[serviceProviderId] = fake;
        return fake;
    }

    public WorkflowTestHost UseServiceProvider(IServiceProviderBinding binding)
    {
        EnsureNotStarted();
        serviceProviders[binding.ServiceProviderId] = binding;
        return this;
    }

    public WorkflowTestHost UseFunctions(IFunctionInvoker invoker)
    {
        EnsureNotStarted();
        functionInvoker = invoker;
        return this;
    }

    public WorkflowTestHost UseApiConnections(IApiConnectionBinding binding)
    {
        EnsureNotStarted();
        apiConnections = binding;
        return this;
    }

    /// <summary>Serves a Power Automate managed API (OpenApiConnection actions and webhook triggers).</summary>
    public WorkflowTestHost UseOpenApiConnection(IOpenApiConnectionBinding binding)
    {
        EnsureNotStarted();
        openApiConnections.Add(binding);
        return this;
    }

    /// <summary>Answers the HTTP action's ActiveDirectoryOAuth token requests.</summary>
    public WorkflowTestHost UseAccessTokens(Func<OAuthTokenRequest, CancellationToken, Task<string>> tokens)
    {
        EnsureNotStarted();
        accessTokens = tokens;
        return this;
    }

    public WorkflowTestHost UseHttp(HttpMessageHandler handler)
    {
        EnsureNotStarted();
        http = handler;
        return this;
    }

    /// <summary>The engine, built with the fakes on first use.</summary>
    public WorkflowEngine Engine => engine ??= new WorkflowEngine(App, new EngineOptions
    {
        TimeProvider = Clock,
        Delay = Clock.DelayAsync,
        FunctionInvoker = functionInvoker,
        ServiceProviderBindings = serviceProviders.Values.ToList(),
        ApiConnectionBinding = apiConnections,
        OpenApiConnectionBindings = openApiConnections,
        AccessTokens = accessTokens,
        HttpMessageHandler = http,
        RunHistory = History,
        Random = Random,
    });

    /// <summary>Fires the workflow's trigger with <paramref name="triggerOutputs"/> and returns the one run it starts.</summary>
    public async Task<WorkflowRun> RunAsync(string workflowName, JObject triggerOutputs)
    {
        var runs = await TriggerAsync(workflowName, triggerOutputs).ConfigureAwait(false);
        return runs.Count == 1
            ? runs[0]
            : throw new InvalidOperationException($"The trigger of '{workflowName}' started {runs.Count} runs; use TriggerAsync for debatched (splitOn) firings.");
    }

    /// <summary>Fires the trigger; with splitOn, one finished run per item.</summary>
    public Task<IReadOnlyList<WorkflowRun>> TriggerAsync(string workflowName, JObject triggerOutputs) =>
        Engine.TriggerAsync(workflowName, triggerOutputs);

    /// <summary>Posts to the workflow's Request trigger; await <c>response.Run!.Completion</c> for the finished run.</summary>
    public Task<RequestTriggerResponse> PostAsync(string workflowName, JToken? body, JObject? headers = null, JObject? queries = null) =>
        Engine.InvokeRequestTriggerAsync(workflowName, null, "POST", headers ?? new JObject { ["Content-Type"] = "application/json" }, body, queries);

    private void EnsureNotStarted()
    {
        if (engine is not null) throw new InvalidOperationException("Replace bindings before the first run: the engine is already built.");
    }

    public void Dispose() => engine?.Dispose();
}

/// <summary>Helpers for asserting on runs.</summary>
public static class RunAssertions
{
    /// <summary>The action's <c>outputs.body</c> as the run saw it (secured values included).</summary>
    public static JToken? Body(this ActionRun action) => action.RawOutputs is JObject outputs ? outputs["body"] : null;

    /// <summary>The action's outputs as the run saw it (secured values included).</summary>
    public static JToken? ActualOutputs(this ActionRun action) => action.RawOutputs;

    /// <summary>The action's inputs as the run saw them (secured values included).</summary>
    public static JToken? ActualInputs(this ActionRun action) => action.RawInputs;

    /// <summary>One line per action (status, code, error): a readable assertion message.</summary>
    public static string Describe(this WorkflowRun run)
    {
        var lines = new List<string> { $"{run.WorkflowName} run {run.Id}: {run.Status}{(run.Error is null ? "" : " " + run.Error.ToString(Newtonsoft.Json.Formatting.None))}" };
        foreach (var action in run.Actions.Values.OrderBy(a => a.StartTime).ThenBy(a => a.Name))
        {
            var error = action.Error is null ? "" : " " + action.Error.Value<string>("message");
            lines.Add($"  {action.Name}: {action.Status} ({action.Code}){error}");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
