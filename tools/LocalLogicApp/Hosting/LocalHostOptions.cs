using LocalLogicApp.Bindings.ServiceBus;

namespace LocalLogicApp.Hosting;

/// <summary>How to start the whole Logic App locally. Defaults suit <c>run</c>; tests pass a temporary state
/// folder, an in-memory broker and a manual clock.</summary>
public sealed record LocalHostOptions
{
    /// <summary>The project folder (workflows/, connections.json, parameters.json, deploy/servicebus/Config.json).</summary>
    public required string ProjectRoot { get; init; }

    /// <summary>Where local state lives (broker database, object store). Default: <c>&lt;root&gt;/.local</c>.</summary>
    public string? StateFolder { get; init; }

    /// <summary>Keep broker state in SQLite (<c>servicebus.db</c> in the state folder) so it survives restarts and the
    /// <c>deadletters</c> verb can read it. False: in memory, gone when the host stops.</summary>
    public bool DurableBroker { get; init; } = true;

    /// <summary>Keep the run history and the state of runs in progress in <c>runs.db</c> in the state folder
    /// (<see cref="Workflows.Runtime.History.SqliteRunStore"/>), where the <c>runs</c> verb reads it and from which the
    /// next start resumes interrupted runs. False: in memory only. Null: when the broker is durable, so the history lasts
    /// as long as the state it describes.</summary>
    public bool? WriteRunHistory { get; init; }

    /// <summary>Most finished runs the run history keeps (local only; Azure bounds it by time alone, host.json
    /// <c>Runtime.FlowRetentionThreshold</c>, which applies too).</summary>
    public int RunHistoryMaxRuns { get; init; } = Workflows.Runtime.History.RunRetention.DefaultMaxRuns;

    /// <summary>How often runs in progress are checkpointed to <c>runs.db</c> (one transaction per batch).</summary>
    public TimeSpan RunHistoryFlushInterval { get; init; } = Workflows.Runtime.History.SqliteRunStore.DefaultFlushInterval;

    /// <summary>How many of their newest requests and records the stand-ins keep for assertions and reports (every one is
    /// counted); bounded so that a long <c>run</c> does not keep every request it ever made.</summary>
    public int StandInRecordLimit { get; init; } = LocalLogicApp.StandIns.Recording.RecentRecords<object>.DefaultLimit;

    /// <summary>The one clock of engine, broker, custom code and stand-ins.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How the engine waits (retry intervals); a manual clock's delay makes waits instant in tests.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>Randomness of exponential retry intervals (seeded for repeatable runs).</summary>
    public Random Random { get; init; } = new(20_26);

    /// <summary>Port of the intake (Request triggers); 0 picks a free one.</summary>
    public int IntakePort { get; init; }

    /// <summary>Serve the broker over AMQP 1.0 on this port too (0 picks a free one; if it is taken, a free one is
    /// used and logged), so tools and SDKs can watch the running app; null: in-process only.</summary>
    public int? ServiceBusAmqpPort { get; init; }

    /// <summary>App settings that win over the template and local.settings.json.</summary>
    public IReadOnlyDictionary<string, string> SettingOverrides { get; init; } = new Dictionary<string, string>();

    public ServiceBusBindingOptions ServiceBus { get; init; } = new();

    /// <summary>Changes the topology read from Config.json before the broker starts (tests: e.g. a small topic quota).</summary>
    public Action<ServiceBus.Local.Entities.Topology>? ConfigureTopology { get; init; }

    /// <summary>Wraps the custom code's object store (tests inject storage faults with it).</summary>
    public Func<OrderEvents.CustomCode.Storage.IObjectStore, OrderEvents.CustomCode.Storage.IObjectStore>? WrapStore { get; init; }

    /// <summary>Wraps the custom code the workflows call (a simulation injects crashes around calls with it).</summary>
    public Func<Workflows.Runtime.Bindings.IFunctionInvoker, Workflows.Runtime.Bindings.IFunctionInvoker>? WrapFunctions { get; init; }

    /// <summary>Wraps the built-in connectors (Service Bus, SAP), by their binding.</summary>
    public Func<Workflows.Runtime.Bindings.IServiceProviderBinding, Workflows.Runtime.Bindings.IServiceProviderBinding>? WrapServiceProvider { get; init; }

    /// <summary>Wraps the HTTP stack of the Http action (warehouse) and of the managed connectors (Twilio, Teams).</summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHttp { get; init; }

    /// <summary>Calls of the workflows to this host's HTTP stand-ins are handed to them in this process instead of over
    /// loopback sockets (<see cref="StandIns.Http.InProcessStandInHandler"/>); they answer exactly as over HTTP. For long
    /// simulations; default false (the calls go through the stand-ins' HTTP servers).</summary>
    public bool CallStandInsInProcess { get; init; }

    /// <summary>Downstream stand-ins that run in another process (a simulation that kills this host keeps them alive).
    /// Null: this host starts its own.</summary>
    public RemoteStandIns? RemoteStandIns { get; init; }

    /// <summary>Progress and trigger problems (one line each).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Applies due broker work (lock and TTL expiry) on this interval of the clock; null: never (tests
    /// that drive a manual clock call <c>Bus.ProcessDueWork</c> themselves or rely on operations doing it).</summary>
    public TimeSpan? MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>Where the downstream stand-ins of another process listen: Twilio, Teams, the warehouse API and the SAP gateway.</summary>
public sealed record RemoteStandIns(Uri Twilio, Uri Teams, Uri Warehouse, Uri SapGateway);
