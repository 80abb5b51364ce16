namespace TestSupport;

/// <summary>
/// Virtual time for deterministic tests and simulations: it moves only when <see cref="Advance"/> (or
/// <see cref="DelayAsync"/>) moves it. <see cref="Advance"/> fires the timers that came due, so
/// <c>Task.Delay(wait, clock)</c> and the timeouts of actions and receives complete in virtual time;
/// <see cref="DelayAsync"/> is the engine's wait: it advances the clock by the wait, records it in
/// <see cref="Waits"/> and returns at once, so retry intervals and recurrences cost nothing. Thread-safe.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> timers = [];
    private readonly List<TimeSpan> waits = [];
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    /// <summary>The instant a clock made without one starts at: 2026-01-15 09:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public ManualClock() : this(DefaultStart)
    {
    }

    /// <summary>Every wait the engine asked for, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get { lock (gate) return waits.ToArray(); }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return now;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on by <paramref name="by"/> and fires every timer that came due, earliest first.</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (gate)
        {
            now += by;
            due = timers.Where(t => t.DueAt is { } at && at <= now).OrderBy(t => t.DueAt).ToList();
            foreach (var timer in due) timer.Rearm(now);
        }
        foreach (var timer in due) timer.Fire();
    }

    public async Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate) waits.Add(wait);
        Advance(wait);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                this.period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.now + dueTime;
                if (!clock.timers.Contains(this)) clock.timers.Add(this);
            }
            if (dueTime == TimeSpan.Zero) clock.Advance(TimeSpan.Zero);
            return true;
        }

        public void Rearm(DateTimeOffset now) => DueAt = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : now + period;

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock.gate) clock.timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
