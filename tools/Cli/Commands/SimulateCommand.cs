using System.Globalization;
using System.Runtime.InteropServices;
using System.Xml;
using LocalLogicApp.Hosting;
using ServiceBus.Local.Entities;
using Simulation.Clock;
using Simulation.Faults;
using Simulation.Reporting;
using Simulation.Running;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// <c>simulate [--orders 100000] [--seed 1] [--profile clean|faults|FILE.json] [--report DIR] [--crash-process N]
/// [--speed 30] [--sessions 32] [--window 1000] [--state DIR] [--loopback-http]</c>: a peak day through the whole local stack (docs/simulation.md). Progress on stderr,
/// the summary on stdout, <c>DIR/summary.json</c> and <c>DIR/report.html</c>; exit 1 when an invariant was violated.
/// </summary>
public static class SimulateCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        if (args.Get("host-process") is { } hostConfig)
        {
            // The host process of a --crash-process day (started, killed and restarted by the simulation's process).
            using var stopHost = new CancellationTokenSource();
            using var hostInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stopHost.Cancel(); });
            return await HostProcess.RunAsync(hostConfig, Console.Out, stopHost.Token);
        }
        var root = RepositoryRoot.Find();
        var orders = args.GetInt("orders", 100_000, min: 1);
        var seed = args.GetInt("seed", 1, min: 0);
        FaultProfile profile;
        try
        {
            profile = FaultProfile.Resolve(args.Get("profile") ?? "clean");
        }
        catch (FaultProfileException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        var crashes = args.GetInt("crash-process", 0, min: 0); // how many times the host is killed
        var speedText = args.Get("speed") ?? "30";
        if (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || !double.IsFinite(speed) || speed is <= 0 or > 10_000)
            throw new CliUsageException($"--speed takes simulated seconds per wall-clock second (above 0, at most 10000), not '{speedText}'.");
        if (SpeedLimit.For(TopologyLoader.LoadFile(Path.Combine(root, LocalLogicAppHost.TopologyFile))) is { } limit && speed > limit.Fastest)
        {
            throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"--speed {speedText}: the shortest time to live of the Service Bus topology ({XmlConvert.ToString(limit.TimeToLive)}, {limit.Entity}) would last {limit.TimeToLive.TotalSeconds / speed:0.##} s of wall time, less than the {SpeedLimit.MinimumWallTimeToLive.TotalSeconds:0} s a message may wait for a core under load: messages would expire unprocessed and the day could not finish. Use at most --speed {Math.Floor(limit.Fastest):0}."));
        }
        var defaults = new SimulationOptions { ProjectRoot = root, ReportFolder = "", StateFolder = "" };
        var sessions = args.GetInt("sessions", defaults.MaxConcurrentSessions, min: 1);
        var window = args.GetInt("window", defaults.Window, min: 1);
        var local = ProjectRoot.LocalStateFolder(root);
        // A folder given with --state is emptied for the day: refuse one that may hold something else (the default is simulate's own).
        if (args.Get("state") is { } stateGiven && FreshStateFolder.RefusalFor(stateGiven) is { } refusal) throw new CliUsageException("--state: " + refusal);
        var options = new SimulationOptions
        {
            ProjectRoot = root,
            Orders = orders,
            Seed = seed,
            Profile = profile,
            CrashProcess = crashes,
            Speed = speed,
            MaxConcurrentSessions = sessions,
            Window = window,
            StandInsInProcess = !args.Has("loopback-http"),
            ReportFolder = Path.GetFullPath(args.Get("report") ?? Path.Combine(local, "simulate", "report")),
            StateFolder = Path.GetFullPath(args.Get("state") ?? Path.Combine(local, "simulate", "state")),
        };

        // Made before the day starts (and before the previous state is set aside), so that a folder that cannot be
        // written is named now rather than after the whole day.
        try
        {
            Directory.CreateDirectory(options.ReportFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--report: the folder '{options.ReportFolder}' cannot be created ({ex.Message}).");
        }

        using var stop = new StopSignal();
        using var progress = new LiveProgress(Console.Error);
        SimulationResult result;
        try
        {
            result = crashes > 0
                ? await CrashingHostSimulation.RunAsync(options, HostProcessStart, progress, stop.Token)
                : await DaySimulation.RunAsync(options, progress, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsRequested)
        {
            Console.Error.WriteLine("Stopped: the day was not finished, nothing was checked.");
            return 130;
        }
        catch (StateFolderInUseException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        catch (HostProcessFailedException ex)
        {
            Console.Error.WriteLine($"Stopped: {ex.Message} The day was not finished, nothing was checked; the state is kept in {options.StateFolder}.");
            return 1;
        }
        progress.Dispose();
        result.Summary.Write(Path.Combine(options.ReportFolder, "summary.json"));
        HtmlReport.Write(Path.Combine(options.ReportFolder, "report.html"), result);
        ConsoleSummary.Write(Console.Out, result, options.ReportFolder);
        return result.Summary.InvariantsHeld ? 0 : 1;
    }

    /// <summary>This same program, as the host process of a --crash-process day.</summary>
    private static System.Diagnostics.ProcessStartInfo HostProcessStart(string config)
    {
        var executable = Environment.ProcessPath ?? "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(executable);
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet") start.ArgumentList.Add(typeof(SimulateCommand).Assembly.Location);
        foreach (var argument in new[] { "simulate", "--host-process", config }) start.ArgumentList.Add(argument);
        return start;
    }
}
