using System.Globalization;

namespace Simulation.Clock;

/// <summary>
/// The clock of a simulated day: simulated time runs <see cref="Speed"/> times faster than the wall clock, from
/// <see cref="SimulatedStart"/> at <see cref="WallStart"/>. Everything that waits on it (message locks, idempotency
/// leases, retry intervals, Wait actions, TTLs, Retry-After) waits that much less real time, so a day of 5-minute locks
/// passes in minutes. Simulated time is a function of the wall clock alone, so two processes given the same three values
/// (a host and the simulation driving it) share one simulated time without talking to each other.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    public SimulatedClock(DateTimeOffset simulatedStart, double speed, DateTimeOffset? wallStart = null)
    {
        if (speed is <= 0 or > 100_000 || double.IsNaN(speed)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "The speed must be above 0 and at most 100,000.");
        SimulatedStart = simulatedStart;
        Speed = speed;
        WallStart = wallStart ?? DateTimeOffset.UtcNow;
    }

    public DateTimeOffset SimulatedStart { get; }

    public DateTimeOffset WallStart { get; }

    /// <summary>Simulated seconds per wall-clock second.</summary>
    public double Speed { get; }

    public override DateTimeOffset GetUtcNow() => Simulated(DateTimeOffset.UtcNow);

    /// <summary>The simulated time at wall-clock time <paramref name="wall"/>.</summary>
    public DateTimeOffset Simulated(DateTimeOffset wall) => SimulatedStart + TimeSpan.FromTicks((long)((wall - WallStart).Ticks * Speed));

    /// <summary>How long <paramref name="simulated"/> lasts on the wall clock.</summary>
    public TimeSpan WallDuration(TimeSpan simulated) => simulated == Timeout.InfiniteTimeSpan
        ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromTicks(Math.Max(0, (long)(simulated.Ticks / Speed)));

    /// <summary>Timers (Task.Delay, CancellationTokenSource timeouts) fire after the simulated interval, scaled to wall time.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, WallDuration(dueTime), WallDuration(period)), this);

    /// <summary>The three values another process needs to build the same clock.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{SimulatedStart.UtcTicks}:{WallStart.UtcTicks}:{Speed:R}");

    public static SimulatedClock Parse(string description)
    {
        var parts = description.Split(':');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var simulated)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var wall)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var speed))
        {
            throw new FormatException($"'{description}' is not a simulated clock (simulatedStartTicks:wallStartTicks:speed).");
        }
        return new SimulatedClock(new DateTimeOffset(simulated, TimeSpan.Zero), speed, new DateTimeOffset(wall, TimeSpan.Zero));
    }

    private sealed class ScaledTimer(ITimer inner, SimulatedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.WallDuration(dueTime), clock.WallDuration(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
