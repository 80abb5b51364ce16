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

    /// <summary>Write every finished run to <c>runs/&lt;workflow&gt;/&lt;runId&gt;.json</c> in the state folder, where the
    /// <c>runs</c> verb reads it. Null: when the broker is durable, so the history lasts as long as the state it describes.</summary>
    public bool? WriteRunHistory { get; init; }

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

    /// <summary>Wraps the custom code's object store (tests inject storage faults with it).</summary>
    public Func<OrderEvents.CustomCode.Storage.IObjectStore, OrderEvents.CustomCode.Storage.IObjectStore>? WrapStore { get; init; }

    /// <summary>Progress and trigger problems (one line each).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Applies due broker work (lock and TTL expiry) on this interval of the clock; null: never (tests
    /// that drive a manual clock call <c>Bus.ProcessDueWork</c> themselves or rely on operations doing it).</summary>
    public TimeSpan? MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);
}
