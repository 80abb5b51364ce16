using System.Diagnostics;
using LocalLogicApp.Hosting;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;
using LocalLogicApp.StandIns.Warehouse;
using LocalLogicApp.Storage;
using Newtonsoft.Json.Linq;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Persistence;
using Simulation.Checking;
using Simulation.Clock;
using Simulation.Faults;
using Simulation.Generation;
using Simulation.Observation;

namespace Simulation.Running;

/// <summary>
/// A simulated day whose Logic App host is a real process that gets killed: the stand-ins (Twilio, Teams, the warehouse,
/// SAP behind its gateway), the publisher and the checker stay in this process, the host (<see cref="HostProcess"/>) runs
/// on the durable state folder and is killed with SIGKILL <see cref="SimulationOptions.CrashProcess"/> times while events
/// flow, then started again: the broker, the run store and the idempotency store must survive, and the restarted host
/// resumes the runs it had in flight. Both processes share one simulated clock.
/// </summary>
public static class CrashingHostSimulation
{
    public static async Task<SimulationResult> RunAsync(SimulationOptions options, Func<string, ProcessStartInfo> hostProcess, ISimulationProgress progress, CancellationToken cancellationToken)
    {
        using var stateFolder = StateFolderLock.Acquire(options.StateFolder);
        var (previousState, day, schedule, ledger, metrics, clock, faults, settings, lake) =
            DayStart.Begin(options, progress, $"; the host process is killed {options.CrashProcess} time(s)");

        await using var twilio = new TwilioStandIn(clock);
        await using var teams = new TeamsStandIn(clock);
        await using var warehouse = new WarehouseStandIn(clock);
        var sap = new FakeSapSystem(clock);
        await using var gateway = new SapGateway(sap);
        await Task.WhenAll(twilio.StartAsync(cancellationToken), teams.StartAsync(cancellationToken), warehouse.StartAsync(cancellationToken), gateway.StartAsync(cancellationToken)).ConfigureAwait(false);
        DaySimulation.Prepare(twilio, teams, warehouse, sap, day, ledger, faults);

        var claimChecks = await Publisher.StoreClaimChecksAsync(day, CustomCodeStorage.CreateStore(settings, options.StateFolder), lake, cancellationToken).ConfigureAwait(false);
        if (claimChecks > 0) progress.Log($"stored {claimChecks} claim-checked payloads in the lake before the day starts");

        var config = Path.Combine(options.StateFolder, HostProcessConfig.FileName);
        new HostProcessConfig(options.ProjectRoot, options.StateFolder, clock.Describe(), options.Seed, options.Profile.ToJson(),
            new RemoteStandIns(twilio.BaseUri, teams.BaseUri, warehouse.BaseUri, gateway.BaseUri), options.MaxConcurrentSessions, options.RunHistoryMaxRuns).Write(config);

        await using var host = new HostProcessSupervisor(hostProcess(config), metrics, progress);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);

        // A host that ends without being told to (a restart that fails, an exit of its own) stops the day at once: the
        // publisher would otherwise post to a dead intake for ever.
        using var dayStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopOnHostFailure = host.OnFailure(dayStop);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(dayStop.Token);
        var sampler = DaySimulation.SampleAsync(day, schedule.Length, metrics, clock, progress, () => "publishing", stop.Token);
        var kills = KillAndRestartAsync(host, options.CrashProcess, schedule.Length, metrics, progress, stop.Token);

        var started = Stopwatch.StartNew();
        string? stillBusy;
        try
        {
            var publisher = new Publisher(day, metrics, clock, () => host.IntakeUrl, options.Publishers, progress.Log) { StallTimeout = options.SettleTimeout };
            await publisher.RunAsync(schedule, options.Publishers, options.Window, lake, dayStop.Token).ConfigureAwait(false);
            await kills.ConfigureAwait(false);
            progress.Log($"everything posted after {started.Elapsed.TotalSeconds:0.0} s, host killed {host.Kills} time(s); waiting until the stack is idle");
            stillBusy = await host.WaitUntilIdleAsync(options.SettleTimeout, dayStop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (host.Failure is { } failure && !cancellationToken.IsCancellationRequested)
        {
            throw failure;
        }
        var duration = started.Elapsed;
        var simulated = TimeSpan.FromTicks((long)(duration.Ticks * clock.Speed));
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        await host.StopAsync().ConfigureAwait(false);

        // What the broker and the lake hold once the host has stopped for good.
        var watch = new DownstreamWatch(day, ledger);
        await watch.ReadLakeAsync(CustomCodeStorage.CreateStore(settings, options.StateFolder), lake, cancellationToken).ConfigureAwait(false);
        await watch.ReadSmsClaimsAsync(CustomCodeStorage.CreateStore(settings, options.StateFolder), CustomCodeStorage.Options(settings).IdempotencyContainer, cancellationToken).ConfigureAwait(false);
        var topology = TopologyLoader.LoadFile(Path.Combine(options.ProjectRoot, LocalLogicAppHost.TopologyFile));
        using (var store = new SqliteMessageStore(Path.Combine(options.StateFolder, LocalLogicAppHost.BrokerDatabaseFile)))
        using (var bus = LocalServiceBus.Create(topology, clock, store))
        {
            foreach (var leftover in DaySimulation.BrokerLeftovers(bus)) ledger.LeftOnBroker(leftover);
        }
        if (stillBusy is not null) ledger.LeftOnBroker("not idle within the settle timeout: " + stillBusy);
        foreach (var subscriber in Subscribers.All) metrics.AddStorageOperations(subscriber, host.StorageOperations(subscriber));

        var check = InvariantChecker.Check(ledger);
        var summary = DaySimulation.Summarize(day, metrics, check, duration, simulated, Math.Max(Process.GetCurrentProcess().PeakWorkingSet64, host.PeakWorkingSet));
        var counts = new FaultCounts(host.Crashes, host.LockLosses, faults.Transients + host.Transients, faults.LostReplies, host.Kills,
            Enumerable.Range(0, day.Orders).Sum(o => day.Plan(o).Kinds().Count(k => day.Plan(o).IsRepeated(k))),
            Enumerable.Range(0, day.Orders).Count(o => day.Plan(o).Poison),
            Enumerable.Range(0, day.Orders).Count(o => day.Plan(o).OutOfOrder));
        if (!previousState.IsCompleted) progress.Log("waiting for the previous state's removal to finish");
        await previousState.ConfigureAwait(false);
        return new SimulationResult(summary, check, metrics, counts, options);
    }

    /// <summary>Kills the host at evenly spaced points of the day (by events accepted) and starts it again.</summary>
    private static async Task KillAndRestartAsync(HostProcessSupervisor host, int kills, int events, DayMetrics metrics, ISimulationProgress progress, CancellationToken stop)
    {
        for (var kill = 1; kill <= kills; kill++)
        {
            var at = (long)events * kill / (kills + 1);
            while (metrics.AcceptedEvents < at)
            {
                await Task.Delay(20, stop).ConfigureAwait(false);
            }
            progress.Log($"killing the host process (SIGKILL) after {metrics.AcceptedEvents:N0} accepted events ({kill} of {kills})");
            await host.KillAndRestartAsync(stop).ConfigureAwait(false);
        }
    }
}

/// <summary>Starts, watches, kills and restarts the host process; reads what it tells on stdout.</summary>
internal sealed class HostProcessSupervisor(ProcessStartInfo start, DayMetrics metrics, ISimulationProgress progress) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<long[]> storageByInstance = [];
    private Process? process;
    private TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri intake = new("http://127.0.0.1:9/");
    private long[] storage = new long[Subscribers.All.Length];
    private (long Crashes, long LockLosses, long Transients) faultsBefore, faultsNow;
    private JObject? lastStatus;
    private readonly QuietStreak quiet = new(needed: 3);
    private readonly HashSet<Process> toldToEnd = [];
    private readonly CancellationTokenSource failed = new();
    private HostProcessFailedException? failure;

    /// <summary>Why the host ended without being told to, once it has (null while it runs as it should).</summary>
    public HostProcessFailedException? Failure
    {
        get { lock (gate) return failure; }
    }

    /// <summary>Cancels <paramref name="day"/> when the host ends without being told to (see <see cref="Failure"/>).</summary>
    public CancellationTokenRegistration OnFailure(CancellationTokenSource day) => failed.Token.Register(static d => ((CancellationTokenSource)d!).Cancel(), day);

    public int Kills { get; private set; }

    public long PeakWorkingSet { get; private set; }

    public Uri IntakeUrl
    {
        get { lock (gate) return intake; }
    }

    public long Crashes => faultsBefore.Crashes + faultsNow.Crashes;
    public long LockLosses => faultsBefore.LockLosses + faultsNow.LockLosses;
    public long Transients => faultsBefore.Transients + faultsNow.Transients;

    public long StorageOperations(Subscriber subscriber)
    {
        lock (gate) return storageByInstance.Sum(counts => counts[(int)subscriber]) + storage[(int)subscriber];
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var started = Process.Start(start) ?? throw new InvalidOperationException($"The host process ({start.FileName}) did not start.");
        lock (gate)
        {
            process = started;
            quiet.Restart();
        }
        var output = Task.WhenAll(ReadAsync(started), ForwardErrorsAsync(started));
        var exited = WatchAsync(started, output, ready.Task);
        var first = await Task.WhenAny(ready.Task, exited).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first == exited) throw Failure ?? new HostProcessFailedException($"The host process ended (code {started.ExitCode}) before it was ready."); // WatchAsync has recorded why, unless it was told to end
        var url = await ready.Task.ConfigureAwait(false);
        lock (gate) intake = url;
    }

    /// <summary>Waits for <paramref name="watched"/> to end; an end nobody asked for is the day's failure, reported once its
    /// last lines (<paramref name="output"/>) are in the log.</summary>
    private async Task WatchAsync(Process watched, Task output, Task wasReady)
    {
        await watched.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        bool told;
        lock (gate) told = toldToEnd.Contains(watched);
        if (told) return;
        var when = wasReady.IsCompleted ? "on its own" : "before it was ready";
        Fail(watched, Kills == 0 ? when : $"{when} (started again after kill {Kills})");
    }

    private HostProcessFailedException Fail(Process ended, string when)
    {
        var error = new HostProcessFailedException($"The host process exited with code {ended.ExitCode} {when}; its last lines are above (\"host: ...\").");
        lock (gate) failure ??= error;
        try
        {
            failed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The day is over and the supervisor disposed: nobody is left to stop.
        }
        return Failure!;
    }

    private void TellToEnd(Process process)
    {
        lock (gate) toldToEnd.Add(process);
    }

    public async Task KillAndRestartAsync(CancellationToken cancellationToken)
    {
        Process victim;
        lock (gate)
        {
            victim = process!;
            storageByInstance.Add(storage);
            storage = new long[Subscribers.All.Length];
            faultsBefore = (faultsBefore.Crashes + faultsNow.Crashes, faultsBefore.LockLosses + faultsNow.LockLosses, faultsBefore.Transients + faultsNow.Transients);
            faultsNow = default;
        }
        TellToEnd(victim);
        victim.Kill(entireProcessTree: true);
        await victim.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        Kills++;
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Idle: since this wait began, the host said three times in a row that nothing is busy and no run is left to resume (<see cref="QuietStreak"/>).</summary>
    public async Task<string?> WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        lock (gate) quiet.BeginWait();
        while (true)
        {
            lock (gate)
            {
                if (quiet.IsIdle) return null;
                if (deadline.Elapsed > timeout) return lastStatus?.ToString(Newtonsoft.Json.Formatting.None) ?? "the host never reported its status";
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync()
    {
        Process? current;
        lock (gate) current = process;
        if (current is null || current.HasExited) return;
        TellToEnd(current);
        await current.StandardInput.WriteLineAsync("stop").ConfigureAwait(false);
        await current.StandardInput.FlushAsync().ConfigureAwait(false);
        if (!current.WaitForExit(TimeSpan.FromSeconds(60))) current.Kill(entireProcessTree: true);
    }

    private async Task ReadAsync(Process source)
    {
        while (await source.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var space = line.IndexOf(' ');
            if (space <= 0) continue;
            JObject body;
            try
            {
                body = JObject.Parse(line[(space + 1)..]);
            }
            catch (Newtonsoft.Json.JsonException)
            {
                progress.Log("host: " + line);
                continue;
            }
            switch (line[..space])
            {
                case "run":
                    metrics.Observe(RunObservation.FromLine(body));
                    break;
                case "ready":
                    if ((int?)body["resumed"] is > 0 and var resumed) progress.Log($"host: restarted, resumed {resumed} interrupted run(s)");
                    ready.TrySetResult(new Uri(body.Value<string>("intake")!));
                    break;
                case "status":
                    lock (gate)
                    {
                        if (!ReferenceEquals(source, process)) break;
                        lastStatus = body;
                        quiet.Observe(((JArray)body["busy"]!).Count == 0 && body.Value<int>("unfinished") == 0);
                        storage = ((JArray)body["storage"]!).Select(t => (long)t).ToArray();
                        faultsNow = (body.Value<long>("crashes"), body.Value<long>("lockLosses"), body.Value<long>("transients"));
                        PeakWorkingSet = Math.Max(PeakWorkingSet, body.Value<long>("peakWorkingSet"));
                    }
                    break;
            }
        }
    }

    private async Task ForwardErrorsAsync(Process source)
    {
        while (await source.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Contains("was lost", StringComparison.Ordinal) || line.Length == 0) continue;
            progress.Log("host: " + line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Process? current;
        lock (gate) current = process;
        if (current is not null && !current.HasExited)
        {
            TellToEnd(current);
            try { current.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await current.WaitForExitAsync().ConfigureAwait(false);
        }
        current?.Dispose();
        failed.Dispose();
    }
}
