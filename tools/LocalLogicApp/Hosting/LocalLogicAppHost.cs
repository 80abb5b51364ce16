using LocalLogicApp.Authentication;
using LocalLogicApp.Bindings.CustomCode;
using LocalLogicApp.Bindings.ManagedApis;
using LocalLogicApp.Bindings.Sap;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.History;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;
using LocalLogicApp.StandIns.Warehouse;
using LocalLogicApp.Storage;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using ServiceBus.Amqp.Connection;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Persistence;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;

namespace LocalLogicApp.Hosting;

/// <summary>
/// The whole Logic App on one machine: the project's workflows, unchanged, on the local engine; the Service Bus
/// topology of <c>deploy/servicebus/Config.json</c> on the local broker; the custom code in-process; Twilio,
/// Teams and the warehouse API as HTTP stand-ins on loopback and SAP as a fake system. App settings are the
/// template's, with the stand-ins' addresses and the local storage laid over them. Every trigger runs until the
/// host is disposed; Request triggers are served by <see cref="Intake"/>.
/// </summary>
public sealed class LocalLogicAppHost : IAsyncDisposable
{
    public const string TopologyFile = "deploy/servicebus/Config.json";
    public const string BrokerDatabaseFile = "servicebus.db";

    private readonly CancellationTokenSource stopping = new();
    private readonly HttpClient connectorHttp;
    private readonly HttpMessageHandler? actionHttp;
    private readonly List<Task> background = [];
    private readonly Action<string> log;
    private bool ownsBroker;
    private SqliteMessageStore? brokerStore;
    private IObjectStore? customCodeStore;

    private LocalLogicAppHost(LocalHostOptions options, string stateFolder)
    {
        Options = options;
        StateFolder = stateFolder;
        log = options.Log ?? (_ => { });
        Twilio = new TwilioStandIn(options.Clock) { RecordLimit = options.StandInRecordLimit };
        Teams = new TeamsStandIn(options.Clock) { RecordLimit = options.StandInRecordLimit };
        Warehouse = new WarehouseStandIn(options.Clock) { RecordLimit = options.StandInRecordLimit };
        connectorHttp = new HttpClient(OutboundHandler()) { Timeout = TimeSpan.FromSeconds(100) };
        actionHttp = options.WrapHttp is not null || options.CallStandInsInProcess ? OutboundHandler() : null;
        Sap = new FakeSapSystem(options.Clock) { RecordLimit = options.StandInRecordLimit };
    }

    /// <summary>The HTTP stack of the workflows' outbound calls: sockets, or the stand-ins in this process; wrapped as asked.</summary>
    private HttpMessageHandler OutboundHandler()
    {
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (Options.CallStandInsInProcess) handler = new InProcessStandInHandler([Twilio, Teams, Warehouse], handler);
        return Options.WrapHttp?.Invoke(handler) ?? handler;
    }

    public LocalHostOptions Options { get; }
    public string StateFolder { get; }
    public TwilioStandIn Twilio { get; }
    public TeamsStandIn Teams { get; }
    public WarehouseStandIn Warehouse { get; }
    public FakeSapSystem Sap { get; }
    public IReadOnlyDictionary<string, string> AppSettings { get; private set; } = new Dictionary<string, string>();
    public LogicApp App { get; private set; } = null!;
    public LocalServiceBus Bus { get; private set; } = null!;
    public ServiceBusBinding ServiceBusConnector { get; private set; } = null!;
    public CustomCodeServices CustomCode { get; private set; } = null!;
    public IObjectStore Store => CustomCode.Store;
    public WorkflowEngine Engine { get; private set; } = null!;

    /// <summary>The run history: <c>runs.db</c> in the state folder (durable: runs in progress resume after a restart),
    /// or in memory (<see cref="LocalHostOptions.WriteRunHistory"/>).</summary>
    public IRunHistory History { get; private set; } = new InMemoryRunHistory();

    /// <summary>The runs a previous process left unfinished that this start resumed.</summary>
    public IReadOnlyList<WorkflowRun> ResumedRuns { get; private set; } = [];
    public IntakeServer Intake { get; private set; } = null!;

    /// <summary>The local token issuer whose keys the intake trusts; null when the intake asks for no token.</summary>
    public LocalTokenIssuer? TokenIssuer { get; private set; }
    /// <summary>The broker's AMQP endpoint (emulator connection string) when <see cref="LocalHostOptions.ServiceBusAmqpPort"/> is set.</summary>
    public string? ServiceBusConnectionString => amqp?.ConnectionString;

    private ServiceBusAmqpServer? amqp;

    /// <summary>The intake workflow's Request trigger URL (the first workflow with a Request trigger).</summary>
    public Uri IntakeUrl { get; private set; } = null!;

    public static async Task<LocalLogicAppHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(options.ProjectRoot);
        var stateFolder = Path.GetFullPath(options.StateFolder ?? ProjectRoot.LocalStateFolder(root));
        Directory.CreateDirectory(stateFolder);
        var host = new LocalLogicAppHost(options, stateFolder);
        try
        {
            await host.StartCoreAsync(root, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(string root, CancellationToken cancellationToken)
    {
        // Before anything starts, is claimed or opened: a garbage file would crash its store, another database would get
        // the broker's tables (IOException: the command line prints its message alone).
        StateDatabases.Check(StateFolder, StateDatabases.Broker, StateDatabases.RunHistory, StateDatabases.Storage);
        Uri twilio, teams, warehouse;
        ISapSystem sap;
        if (Options.RemoteStandIns is { } remote)
        {
            (twilio, teams, warehouse) = (remote.Twilio, remote.Teams, remote.Warehouse);
            sap = new SapGatewayClient(remote.SapGateway, connectorHttp);
            log($"stand-ins of another process: twilio {twilio}, teams {teams}, warehouse {warehouse}, SAP gateway {remote.SapGateway}");
        }
        else
        {
            await Task.WhenAll(Twilio.StartAsync(cancellationToken), Teams.StartAsync(cancellationToken), Warehouse.StartAsync(cancellationToken)).ConfigureAwait(false);
            (twilio, teams, warehouse, sap) = (Twilio.BaseUri, Teams.BaseUri, Warehouse.BaseUri, Sap);
            log($"stand-ins: twilio {twilio}, teams {teams}, warehouse {warehouse}, SAP in-process");
        }

        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["twilio_connectionRuntimeUrl"] = twilio.ToString().TrimEnd('/'),
            ["teams_connectionRuntimeUrl"] = teams.ToString().TrimEnd('/'),
            ["Warehouse_BaseUrl"] = warehouse.ToString().TrimEnd('/'),
            ["ProjectDirectoryPath"] = root,
        };
        foreach (var (key, value) in Options.SettingOverrides) overrides[key] = value;
        AppSettings = LocalAppSettings.Compose(root, overrides);
        App = LogicApp.Load(root, AppSettings);
        log($"project: {App.Workflows.Count} workflows ({string.Join(", ", App.Workflows.Keys.Order(StringComparer.Ordinal))})");

        var topology = TopologyLoader.LoadFile(Path.Combine(root, TopologyFile));
        Options.ConfigureTopology?.Invoke(topology);
        if (Options.DurableBroker)
        {
            if (BrokerOwnership.LiveOtherOwner(StateFolder) is int owner)
            {
                throw new InvalidOperationException($"Process {owner} already runs the app on {StateFolder}; stop it first (one process owns a broker database).");
            }
            BrokerOwnership.Claim(StateFolder);
            ownsBroker = true;
        }
        brokerStore = Options.DurableBroker ? new SqliteMessageStore(Path.Combine(StateFolder, BrokerDatabaseFile)) : null;
        Bus = LocalServiceBus.Create(topology, Options.Clock, brokerStore);
        log($"service bus: {Bus.ReceivableEntityPaths.Count} queues and subscriptions from {TopologyFile}" +
            (Options.DurableBroker ? $", state in {Path.Combine(StateFolder, BrokerDatabaseFile)}" : ", in memory"));
        if (Options.ServiceBusAmqpPort is int amqpPort) ServeAmqp(amqpPort);

        CustomCode = CustomCodeStorage.Create(AppSettings, StateFolder, Options.Clock, log);
        customCodeStore = CustomCode.Store;
        if (Options.WrapStore is { } wrap) CustomCode = CustomCode with { Store = wrap(CustomCode.Store) };
        log($"custom-code storage: {CustomCodeStorage.Describe(AppSettings, StateFolder)}");

        if (Options.WriteRunHistory ?? Options.DurableBroker)
        {
            var retention = new RunRetention(RunHistoryRetention.MaxAge(AppSettings, HostSettings.Read(root)), Options.RunHistoryMaxRuns);
            var store = SqliteRunStore.Open(RunHistoryFile.PathIn(StateFolder), retention, Options.Clock, Options.RunHistoryFlushInterval, line => log("run history: " + line));
            History = store;
            log($"run history: {store.Path} (runs kept {retention.MaxAge.TotalDays:0.#} days from their start, at most {retention.MaxRuns:N0}; checkpoints every {store.FlushInterval.TotalMilliseconds:0} ms)");
        }

        ServiceBusConnector = new ServiceBusBinding(Bus, Options.ServiceBus with { Log = Options.ServiceBus.Log ?? log });
        Engine = new WorkflowEngine(App, new EngineOptions
        {
            TimeProvider = Options.Clock,
            Delay = Options.Delay,
            FunctionInvoker = Options.WrapFunctions is { } wrapFunctions ? wrapFunctions(new CustomCodeFunctionInvoker(CustomCode)) : new CustomCodeFunctionInvoker(CustomCode),
            ServiceProviderBindings = new IServiceProviderBinding[] { ServiceBusConnector, new SapBinding(sap) }.Select(b => Options.WrapServiceProvider?.Invoke(b) ?? b).ToList(),
            HttpMessageHandler = actionHttp,
            ApiConnectionBinding = new HttpApiConnectionBinding(connectorHttp),
            RunHistory = History,
            Random = Options.Random,
        });
        ResumedRuns = await Engine.ResumeUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false);
        if (ResumedRuns.Count > 0)
        {
            log($"resumed {ResumedRuns.Count} run(s) interrupted by the last stop: {string.Join(", ", ResumedRuns.GroupBy(r => r.WorkflowName).Select(g => $"{g.Count()} {g.Key}"))}");
        }

        var (door, issuer) = IntakeAuthentication.ForLocalHost(AppSettings, StateFolder, Options.Clock);
        TokenIssuer = issuer;
        log(door is null
            ? $"intake: OPEN, any local caller may publish ({IntakeAuthenticationSettings.OpenIdIssuerSetting} not set; in Azure, App Service authentication admits only the publisher application)"
            : $"intake: {door.Settings.Describe()}; local tokens: dotnet run --project tools/Cli -- token");
        Intake = new IntakeServer(InvokeAsync, door, log);
        await Intake.StartAsync(Options.IntakePort, cancellationToken).ConfigureAwait(false);
        var intake = App.Workflows.Values.FirstOrDefault(w => w.Trigger.Kind == TriggerKind.Request)
                     ?? throw new InvalidOperationException("No workflow of the project has a Request trigger: there is no intake to serve.");
        IntakeUrl = Intake.TriggerUrl(intake.Name, intake.Trigger.Name);

        var compiling = System.Diagnostics.Stopwatch.StartNew();
        if (await Engine.PrepareScriptsAsync().ConfigureAwait(false) is > 0 and var scripts)
            log($"scripts: {scripts} .csx file(s) compiled in {compiling.Elapsed.TotalSeconds:0.0} s, before the triggers start");
        background.Add(Task.Run(() => Engine.StartTriggersAsync(stopping.Token), CancellationToken.None));
        if (Options.MaintenanceInterval is { } interval)
        {
            background.Add(Task.Run(() => Bus.RunMaintenanceAsync(interval, stopping.Token), CancellationToken.None));
        }
        log($"intake: {IntakeUrl}");
    }

    private void ServeAmqp(int port)
    {
        try
        {
            amqp = ServiceBusAmqpServer.Start(Bus, port);
        }
        catch (InvalidOperationException ex) when (port != 0)
        {
            amqp = ServiceBusAmqpServer.Start(Bus, 0);
            log($"service bus: {ex.Message} Serving on port {amqp.Port} instead.");
        }
        log($"service bus over AMQP: {amqp.ConnectionString}");
    }

    private async Task<TriggerAnswer> InvokeAsync(TriggerInvocation call, CancellationToken cancellationToken)
    {
        if (!App.Workflows.ContainsKey(call.WorkflowName))
        {
            return new TriggerAnswer(404, IntakeServer.Error("WorkflowNotFound", $"The workflow '{call.WorkflowName}' could not be found."));
        }
        var headers = new JObject();
        foreach (var (name, value) in call.Headers) headers[name] = value;
        var queries = new JObject();
        foreach (var (name, value) in call.Query) queries[name] = value;
        RequestTriggerResponse response;
        try
        {
            response = await Engine.InvokeRequestTriggerAsync(call.WorkflowName, call.TriggerName, call.Method, headers, Body(call), queries, cancellationToken).ConfigureAwait(false);
        }
        catch (TriggerFailedException ex)
        {
            // A stateful workflow whose trigger expressions fail answers InvalidTemplate and starts no run (Azure/logicapps#750).
            return new TriggerAnswer(400, IntakeServer.Error("InvalidTemplate", $"The template language expression evaluation failed: '{ex.Message}'."));
        }
        var answerHeaders = response.Headers.Properties().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new TriggerAnswer(response.StatusCode, response.Body, answerHeaders);
    }

    /// <summary>A JSON request body as JSON (Logic Apps parses it for <c>triggerBody()</c>); anything else as text.</summary>
    private static JToken? Body(TriggerInvocation call)
    {
        if (call.Body.Length == 0) return null;
        try
        {
            return JsonContent.Parse(call.Body);
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return call.Body;
        }
    }

    /// <summary>Writes what the run history holds in memory to <c>runs.db</c> now (it otherwise writes in batches).</summary>
    public void FlushRunHistory() => (History as SqliteRunStore)?.Flush();

    /// <summary>Waits until every message is settled: no active, locked or scheduled message on any queue or
    /// subscription and no run in progress, seen twice in a row. Fails after <paramref name="timeout"/> (real time)
    /// naming what is still busy.</summary>
    public async Task WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var quietChecks = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var busy = Busy();
            quietChecks = busy.Count == 0 ? quietChecks + 1 : 0;
            if (quietChecks >= 3) return;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not settled within {timeout.TotalSeconds:0} s; still busy: {string.Join("; ", busy)}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What keeps the app from being idle, one entry per busy queue/subscription, plus runs in flight.</summary>
    public IReadOnlyList<string> Busy()
    {
        var busy = new List<string>();
        if (!Engine.WhenIdleAsync().IsCompleted)
        {
            var running = History.Query(new RunQuery(Status: Workflows.Runtime.WorkflowStatus.Running));
            busy.Add($"{running.Count} run(s) in progress ({string.Join(", ", running.Select(r => r.WorkflowName).Distinct())})");
        }
        foreach (var path in Bus.ReceivableEntityPaths)
        {
            var counts = Bus.GetMessageCounts(path);
            if (counts.Active > 0 || counts.Scheduled > 0) busy.Add($"{path}: {counts.Active} active or locked, {counts.Scheduled} scheduled");
        }
        return busy;
    }

    /// <summary>
    /// Stops promptly, as a host that is shut down: triggers stop, every run in flight stops where it is (Waits and retry
    /// intervals are not waited for) and keeps its checkpoint in the run history, from which the next start resumes it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (Intake is not null) await Intake.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (Engine is not null) await Engine.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            log($"stopping: {ex.Message}");
        }
        if (Engine?.RunsInFlight == 0 && History is SqliteRunStore { } store && store.Unfinished() is { Count: > 0 } left)
        {
            log($"stopped: {left.Count} run(s) keep their checkpoint and resume on the next start");
        }
        (History as IDisposable)?.Dispose();
        if (amqp is not null) await amqp.DisposeAsync().ConfigureAwait(false);
        if (ServiceBusConnector is not null) await ServiceBusConnector.DisposeAsync().ConfigureAwait(false);
        Engine?.Dispose();
        Bus?.Dispose();
        // The broker does not own a store it was handed; closing it releases the database's exclusive lock.
        brokerStore?.Dispose();
        (customCodeStore as IDisposable)?.Dispose();
        if (ownsBroker) BrokerOwnership.Release(StateFolder);
        await Twilio.DisposeAsync().ConfigureAwait(false);
        await Teams.DisposeAsync().ConfigureAwait(false);
        await Warehouse.DisposeAsync().ConfigureAwait(false);
        connectorHttp.Dispose();
        actionHttp?.Dispose();
        stopping.Dispose();
    }
}
