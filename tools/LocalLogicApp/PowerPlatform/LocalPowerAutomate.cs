using LocalLogicApp.StandIns.Dataverse;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace LocalLogicApp.PowerPlatform;

/// <summary>How to run cloud flows of a solution locally.</summary>
public sealed record PowerAutomateOptions
{
    public required CloudFlowSolution Solution { get; init; }

    /// <summary>The flows to turn on (by display name); the others stay off, as after an import.</summary>
    public required IReadOnlyList<string> Flows { get; init; }

    /// <summary>Environment variable values by schema name (in Power Platform: set per environment at import).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    public required DataverseStandIn Dataverse { get; init; }

    /// <summary>Connectors besides Dataverse (e.g. Service Bus).</summary>
    public IReadOnlyList<IOpenApiConnectionBinding> Connectors { get; init; } = [];

    /// <summary>Microsoft Entra ID for the HTTP action's ActiveDirectoryOAuth (the local token issuer in tests).</summary>
    public Func<OAuthTokenRequest, CancellationToken, Task<string>>? AccessTokens { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }
}

/// <summary>
/// Power Automate on one machine: the chosen cloud flows of a solution, their definitions unchanged, on the same WDL
/// engine as the Logic App, with the Dataverse stand-in as the Dataverse connector and environment variables as the
/// definitions' parameters (a flow reads an environment variable through a parameter whose <c>metadata.schemaName</c>
/// names it; its value wins over the definition's default, as the environment's value does). Triggers run until
/// disposed; every run is in <see cref="History"/>.
/// </summary>
public sealed class LocalPowerAutomate : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly Task triggers;

    private LocalPowerAutomate(WorkflowEngine engine)
    {
        Engine = engine;
        triggers = Task.Run(() => engine.StartTriggersAsync(stopping.Token));
    }

    public WorkflowEngine Engine { get; }

    /// <summary>Why the triggers stopped listening before disposal (e.g. a subscription the connector refused); null while they listen.</summary>
    public Exception? TriggerFailure => triggers.IsFaulted ? triggers.Exception!.GetBaseException() : null;

    public InMemoryRunHistory History => (InMemoryRunHistory)Engine.History;

    /// <summary>Turns the flows on: returns once every Dataverse trigger has registered its subscription, as a
    /// flow turned on in Power Automate registers its webhook first, so no row added afterwards is missed.</summary>
    public static async Task<LocalPowerAutomate> StartAsync(PowerAutomateOptions options)
    {
        var flows = options.Flows.Select(options.Solution.Flow).ToList();
        var parameters = new JObject();
        foreach (var flow in flows)
        {
            foreach (var parameter in (flow.Definition["parameters"] as JObject)?.Properties() ?? [])
            {
                if (parameter.Value.SelectToken("metadata.schemaName")?.ToString() is { } schema && options.EnvironmentVariables.TryGetValue(schema, out var value))
                    parameters[parameter.Name] = new JObject { ["type"] = parameter.Value["type"]?.ToString().ToLowerInvariant() ?? "string", ["value"] = value };
            }
        }
        var app = LogicApp.Create(
            flows.Select(f => new WorkflowSource(f.Name, new JObject { ["definition"] = f.Definition.DeepClone(), ["kind"] = "Stateful" })),
            parameters: parameters,
            name: options.Solution.UniqueName);
        var engine = new WorkflowEngine(app, new EngineOptions
        {
            TimeProvider = options.Clock,
            Delay = options.Delay,
            OpenApiConnectionBindings = [new DataverseConnector(options.Dataverse), .. options.Connectors],
            AccessTokens = options.AccessTokens,
            RunHistory = new InMemoryRunHistory(),
        });
        var expected = options.Dataverse.SubscriptionCount + flows.Count(f => f.Definition["triggers"]?.SelectTokens("$..host.apiId").Any(id => id.ToString().EndsWith("/" + DataverseConnector.Name, StringComparison.Ordinal)) == true);
        var started = new LocalPowerAutomate(engine);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (options.Dataverse.SubscriptionCount < expected)
        {
            var failure = started.TriggerFailure;
            if (failure is not null || DateTime.UtcNow > deadline)
            {
                await started.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"The flows of {options.Solution.UniqueName} could not be turned on: {failure?.Message ?? "their Dataverse triggers did not subscribe within 30 s"}.", failure);
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
        return started;
    }

    /// <summary>The runs of a flow, oldest first.</summary>
    public IReadOnlyList<WorkflowRun> RunsOf(string flow) =>
        History.Query(new RunQuery(WorkflowName: flow)).OrderBy(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await triggers.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }
        Engine.Dispose();
        stopping.Dispose();
    }
}
