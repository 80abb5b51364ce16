using LocalLogicApp.Hosting;
using LocalLogicApp.Storage;
using Simulation.Checking;
using Simulation.Clock;
using Simulation.Faults;
using Simulation.Generation;
using Simulation.Observation;

namespace Simulation.Running;

/// <summary>
/// What every simulated day starts with, in-process or with a host process that gets killed: the previous state set
/// aside, the day and its publishing order, the ledger and figures, the simulated clock, the fault injector, the app's
/// settings and its lake container.
/// </summary>
internal sealed record DayStart(Task PreviousState, OrderDay Day, EventRef[] Schedule, DayLedger Ledger, DayMetrics Metrics,
    SimulatedClock Clock, FaultInjector Faults, IReadOnlyDictionary<string, string> Settings, string Lake)
{
    public static DayStart Begin(SimulationOptions options, ISimulationProgress progress, string? how = null)
    {
        var previousState = FreshStateFolder.PrepareAsync(options.StateFolder, progress.Log);
        Directory.CreateDirectory(options.ReportFolder);

        var day = new OrderDay(options.Orders, options.Seed, options.Profile);
        var schedule = day.PublishingOrder();
        progress.Log($"day: {day.Orders:N0} orders, {schedule.Length:N0} events (seed {day.Seed}, profile {options.Profile.Name}){how}");
        var ledger = new DayLedger(day);
        var settings = LocalAppSettings.Compose(options.ProjectRoot, new Dictionary<string, string>());
        return new DayStart(previousState, day, schedule, ledger, new DayMetrics(day, ledger), new SimulatedClock(OrderDay.DayStart, options.Speed),
            new FaultInjector(options.Profile, options.Seed), settings, CustomCodeStorage.Options(settings).LakeContainer);
    }

    /// <summary>The host every simulated day runs, in this process or in the host process: durable broker and run
    /// history on the state folder, the simulated clock, the seed's randomness, and the profile's faults injected into
    /// storage (always) and into runs (when the profile crashes runs or loses locks).</summary>
    public static LocalHostOptions HostOptions(string projectRoot, string stateFolder, int runHistoryMaxRuns, TimeProvider clock, int seed,
        int maxConcurrentSessions, FaultProfile profile, FaultInjector faults, string lake)
    {
        var runFaults = profile.FaultsRuns;
        return new()
        {
            ProjectRoot = projectRoot,
            StateFolder = stateFolder,
            DurableBroker = true,
            WriteRunHistory = true,
            RunHistoryMaxRuns = runHistoryMaxRuns,
            Clock = clock,
            Random = new Random(seed),
            MaintenanceInterval = TimeSpan.FromSeconds(10),
            ServiceBus = new LocalLogicApp.Bindings.ServiceBus.ServiceBusBindingOptions { MaxConcurrentSessions = maxConcurrentSessions },
            WrapStore = store => faults.WrapStore(store, lake),
            WrapFunctions = runFaults ? faults.WrapFunctions : null,
            WrapServiceProvider = runFaults ? faults.WrapServiceProvider : null,
            WrapHttp = runFaults ? faults.WrapHttp : null,
        };
    }
}
