using Simulation.Faults;

namespace Simulation.Running;

/// <summary>What <c>simulate</c> runs (docs/simulation.md).</summary>
public sealed record SimulationOptions
{
    public required string ProjectRoot { get; init; }

    /// <summary>Orders of the day (each has an OrderCreated; some an OrderUpdated and an OrderCancelled).</summary>
    public int Orders { get; init; } = 100_000;

    public int Seed { get; init; } = 1;

    public FaultProfile Profile { get; init; } = FaultProfile.Clean;

    /// <summary>Where summary.json and report.html go.</summary>
    public required string ReportFolder { get; init; }

    /// <summary>Where the stack keeps its state for the day (broker, run history, storage); emptied first (<see cref="FreshStateFolder"/>).</summary>
    public required string StateFolder { get; init; }

    /// <summary>How many times the real host process is killed (SIGKILL) and restarted during the day; 0 runs the whole
    /// stack in this process.</summary>
    public int CrashProcess { get; init; }

    /// <summary>Simulated seconds per wall-clock second (locks, leases, retry intervals, Waits, TTLs run this much faster).</summary>
    public double Speed { get; init; } = 30;

    /// <summary>Posts in flight to the intake (many flows publish at once on a peak day). Each post waits for the intake
    /// workflow's answer; with 16 the posts, not the machine, set the pace of the day (one core of two stayed idle).</summary>
    public int Publishers { get; init; } = 64;

    /// <summary>Most events accepted and not yet settled by every subscriber (a longer queue only makes the locks of the
    /// messages waiting in it expire sooner).</summary>
    public int Window { get; init; } = 1_000;

    /// <summary>Sessions each session subscriber works on at once (orders in parallel; one message at a time per order).</summary>
    public int MaxConcurrentSessions { get; init; } = 32;

    /// <summary>How long, in wall time, the stack may take to settle once everything is posted.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The workflows' calls to the HTTP stand-ins (Twilio, Teams, the warehouse) are handed to them in this process
    /// rather than over loopback sockets; the stand-ins answer exactly as over HTTP. The intake is always called over HTTP.</summary>
    public bool StandInsInProcess { get; init; } = true;

    /// <summary>Most finished runs the run history keeps (runs.db).</summary>
    public int RunHistoryMaxRuns { get; init; } = 20_000;
}
