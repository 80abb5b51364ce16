using System.Diagnostics;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.Hosting;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;
using LocalLogicApp.StandIns.Warehouse;
using Simulation.Checking;
using Simulation.Clock;
using Simulation.Faults;
using Simulation.Generation;
using Simulation.Observation;
using Simulation.Reporting;

namespace Simulation.Running;

/// <summary>The outcome of a simulated day: the summary, what the checker found, and the figures behind the report.</summary>
public sealed record SimulationResult(SimulationSummary Summary, CheckResult Check, DayMetrics Metrics, FaultCounts Faults, SimulationOptions Options);

/// <summary>How often each fault happened (what the profile asked for, as it fell).</summary>
public sealed record FaultCounts(long Crashes, long LockLosses, long Transients, long LostReplies, long ProcessKills, long Repeats, int PoisonOrders, int OutOfOrderOrders);

/// <summary>Progress while a day runs: one sample a second, and lines worth telling.</summary>
public interface ISimulationProgress
{
    void Sample(ProgressSnapshot snapshot);

    void Log(string line);
}

/// <summary>A second of the day, for the live display.</summary>
public sealed record ProgressSnapshot(
    int Orders, int Events, long Posts, long Accepted, long Done, long Runs, double RunsPerSecond, long WorkingSetBytes, TimeSpan Wall, DateTimeOffset Simulated,
    IReadOnlyDictionary<Subscriber, (long Deliveries, long DeadLetters)> PerSubscriber, string Phase);

/// <summary>
/// Runs a simulated day on the whole local stack in this process: the project's workflow.json files on the engine, the
/// custom code, the SQLite broker, run history and storage in the state folder, the stand-ins; a simulated clock for every
/// wait. Events go in through the intake workflow over HTTP; nothing skips a workflow or a settlement. When everything is
/// posted and the stack is idle, the lake, the broker and the ledger are checked against the invariants.
/// </summary>
public static class DaySimulation
{
    public static async Task<SimulationResult> RunAsync(SimulationOptions options, ISimulationProgress progress, CancellationToken cancellationToken)
    {
        using var stateFolder = StateFolderLock.Acquire(options.StateFolder);
        var (previousState, day, schedule, ledger, metrics, clock, faults, _, lake) = DayStart.Begin(options, progress);
        var runFaults = options.Profile.FaultsRuns;

        await using var host = await LocalLogicAppHost.StartAsync(DayStart.HostOptions(options.ProjectRoot, options.StateFolder, options.RunHistoryMaxRuns,
            clock, options.Seed, options.MaxConcurrentSessions, options.Profile, faults, lake) with
        {
            CallStandInsInProcess = options.StandInsInProcess,
            Log = line => progress.Log(line),
        }, cancellationToken).ConfigureAwait(false);

        Prepare(host, day, ledger, faults);
        faults.Engine = host.Engine;
        faults.ServiceBus = host.ServiceBusConnector;
        faults.DropSapSession = host.Sap.CloseSession;
        host.Engine.RunCompleted += run => metrics.Observe(RunObservation.Of(run));
        var claimChecks = await Publisher.StoreClaimChecksAsync(day, host.Store, lake, cancellationToken).ConfigureAwait(false);
        if (claimChecks > 0) progress.Log($"stored {claimChecks} claim-checked payloads in the lake before the day starts");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(day, schedule.Length, metrics, clock, progress, () => "publishing", stop.Token);
        var resumer = runFaults ? ResumeInterruptedRunsAsync(host, clock, stop.Token) : Task.CompletedTask;

        var started = Stopwatch.StartNew();
        var publisher = new Publisher(day, metrics, clock, () => host.IntakeUrl, options.Publishers, progress.Log) { StallTimeout = options.SettleTimeout };
        await publisher.RunAsync(schedule, options.Publishers, options.Window, lake, cancellationToken).ConfigureAwait(false);
        progress.Log($"everything posted after {started.Elapsed.TotalSeconds:0.0} s; waiting until the stack is idle");
        var stillBusy = await WaitUntilIdleAsync(host, options.SettleTimeout, cancellationToken).ConfigureAwait(false);
        var duration = started.Elapsed;
        var simulated = TimeSpan.FromTicks((long)(duration.Ticks * clock.Speed));
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(sampler, resumer).ConfigureAwait(false);

        var watch = new DownstreamWatch(day, ledger);
        await watch.ReadLakeAsync(host.Store, lake, cancellationToken).ConfigureAwait(false);
        foreach (var leftover in BrokerLeftovers(host)) ledger.LeftOnBroker(leftover);
        if (stillBusy is not null) ledger.LeftOnBroker("not idle within the settle timeout: " + stillBusy);
        var unfinished = host.History.Unfinished();
        if (unfinished.Count > 0) ledger.LeftOnBroker($"{unfinished.Count} interrupted run(s) never finished ({string.Join(", ", unfinished.Take(5).Select(c => c.Run.WorkflowName + " " + c.Run.Id))})");

        foreach (var subscriber in Subscribers.All) metrics.AddStorageOperations(subscriber, faults.StorageOperations(subscriber));
        var check = InvariantChecker.Check(ledger);
        var summary = Summarize(day, metrics, check, duration, simulated, Process.GetCurrentProcess().PeakWorkingSet64);
        var counts = new FaultCounts(faults.Crashes, faults.LockLosses, faults.Transients, faults.LostReplies, 0,
            Enumerable.Range(0, day.Orders).Sum(o => day.Plan(o).Kinds().Count(k => day.Plan(o).IsRepeated(k))),
            Enumerable.Range(0, day.Orders).Count(o => day.Plan(o).Poison),
            Enumerable.Range(0, day.Orders).Count(o => day.Plan(o).OutOfOrder));
        if (!previousState.IsCompleted) progress.Log("waiting for the previous state's removal to finish");
        await previousState.ConfigureAwait(false);
        return new SimulationResult(summary, check, metrics, counts, options);
    }

    /// <summary>The stand-ins as a day needs them: no per-request records (the ledger listens instead), plenty of stock, the
    /// poison article unknown to SAP and the warehouse, and faults from the profile.</summary>
    internal static void Prepare(LocalLogicAppHost host, OrderDay day, DayLedger ledger, FaultInjector faults) =>
        Prepare(host.Twilio, host.Teams, host.Warehouse, host.Sap, day, ledger, faults);

    internal static void Prepare(TwilioStandIn twilio, TeamsStandIn teams, WarehouseStandIn warehouse, FakeSapSystem sap, OrderDay day, DayLedger ledger, FaultInjector faults)
    {
        twilio.KeepRecords = false;
        teams.KeepRecords = false;
        warehouse.KeepRecords = false;
        sap.KeepRecords = false;
        for (var article = 0; article < OrderDay.Articles; article++) warehouse.SetStock(OrderDay.Article(article), 1_000_000_000_000m);
        warehouse.RemoveSku(day.PoisonArticle);
        sap.RemoveMaterial(day.PoisonArticle);
        twilio.FaultSource = faults.Twilio;
        warehouse.FaultSource = faults.Warehouse;
        teams.FaultSource = faults.Teams;
        sap.FaultSource = faults.Sap;
        var watch = new DownstreamWatch(day, ledger);
        watch.Watch(sap);
        watch.Watch(twilio);
        watch.Watch(warehouse);
        watch.Watch(teams);
    }

    /// <summary>The restarted host resumes what a crash interrupted (a host that crashed resumes on its next start).</summary>
    private static async Task ResumeInterruptedRunsAsync(LocalLogicAppHost host, TimeProvider clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), clock, stop).ConfigureAwait(false);
                await host.Engine.ResumeUnfinishedRunsAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<string?> WaitUntilIdleAsync(LocalLogicAppHost host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var quiet = 0;
        while (true)
        {
            var busy = host.Busy().ToList();
            if (host.History.Unfinished() is { Count: > 0 } interrupted) busy.Add($"{interrupted.Count} interrupted run(s) to resume");
            quiet = busy.Count == 0 ? quiet + 1 : 0;
            if (quiet >= 3) return null;
            if (deadline.Elapsed > timeout) return string.Join("; ", busy);
            if (busy.Count > 0 && host.History.Unfinished().Count > 0) await host.Engine.ResumeUnfinishedRunsAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whatever a queue or subscription still holds (and its dead-letter sub-queue).</summary>
    internal static IEnumerable<string> BrokerLeftovers(LocalLogicAppHost host) => BrokerLeftovers(host.Bus);

    internal static IEnumerable<string> BrokerLeftovers(ServiceBus.Local.LocalServiceBus bus)
    {
        var anyLeft = false;
        foreach (var path in bus.ReceivableEntityPaths)
        {
            var counts = bus.GetMessageCounts(path);
            if (counts.Active + counts.Scheduled + counts.Deferred + counts.DeadLetter > 0)
            {
                anyLeft = true;
                yield return $"{path}: {counts.Active} active or locked, {counts.Scheduled} scheduled, {counts.Deferred} deferred, {counts.DeadLetter} in its dead-letter queue";
            }
        }
        if (anyLeft) yield break;
        // With every message gone, every queue and topic must count nothing toward its size quota (the workflows keep no
        // session state): a size left over means the broker's accounting lost a message's departure, and a long `run`
        // would see its topic fill up and the intake answer 503 with nothing in it.
        foreach (var entity in bus.Topology.Queues.Select(q => q.Name).Concat(bus.Topology.Topics.Select(t => t.Name)))
        {
            var size = bus.GetEntitySize(entity);
            if (size.SizeInBytes != 0) yield return $"{entity}: holds no message but counts {size.SizeInBytes} bytes toward its size quota";
        }
    }

    internal static SimulationSummary Summarize(OrderDay day, DayMetrics metrics, CheckResult check, TimeSpan duration, TimeSpan simulated, long peakWorkingSet)
    {
        var seconds = Math.Max(duration.TotalSeconds, 1e-9);
        var actions = metrics.Workflows
            .Where(w => w.Value.ActionsPerRun is not null)
            .ToDictionary(w => w.Key, w => w.Value.ActionsPerRun!.Value, StringComparer.Ordinal);
        var storage = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var subscriber in Subscribers.All)
        {
            var messages = Math.Max(1, metrics.For(subscriber).Deliveries.Value - metrics.For(subscriber).Redeliveries.Value);
            storage[subscriber.Workflow()] = (double)metrics.StorageOperations(subscriber) / messages;
        }
        return new SimulationSummary(
            day.Orders, check.Accepted, duration.TotalSeconds, simulated.TotalSeconds, day.Orders / seconds, metrics.Runs / seconds,
            peakWorkingSet, actions, storage, check.Lost, check.DuplicateSideEffects, check.DeadLettered, check.Alerts,
            check.InvariantsHeld, check.Violations);
    }

    /// <summary>Samples the day once a second for the progress display and the report's timeline; the timeline also gets a
    /// sample when the day starts and one when it is over, so that a day shorter than a second still has its chart.</summary>
    internal static async Task SampleAsync(OrderDay day, int events, DayMetrics metrics, TimeProvider clock, ISimulationProgress progress, Func<string> phase, CancellationToken stop)
    {
        var previousRuns = 0L;
        var previous = TimeSpan.Zero;
        using var process = Process.GetCurrentProcess();
        metrics.Sample(clock.GetUtcNow(), process.WorkingSet64);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(1000, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            process.Refresh();
            var sample = metrics.Sample(clock.GetUtcNow(), process.WorkingSet64);
            var elapsed = metrics.Elapsed;
            var runsPerSecond = (sample.Runs - previousRuns) / Math.Max((elapsed - previous).TotalSeconds, 1e-3);
            previousRuns = sample.Runs;
            previous = elapsed;
            progress.Sample(new ProgressSnapshot(day.Orders, events, metrics.Posts, sample.Accepted, sample.Done, sample.Runs, runsPerSecond, sample.WorkingSetBytes,
                elapsed, sample.Simulated,
                Subscribers.All.ToDictionary(s => s, s => (metrics.For(s).Deliveries.Value, metrics.For(s).DeadLetterDecisions.Value)), phase()));
        }
        process.Refresh();
        metrics.Sample(clock.GetUtcNow(), process.WorkingSet64);
    }
}
