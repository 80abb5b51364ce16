namespace Workflows.Runtime.Testing;

/// <summary>
/// Virtual time for deterministic tests. <see cref="Advance"/> moves the clock and fires due timers (action
/// and Until timeouts); <see cref="DelayAsync"/> is the engine's wait: it advances the clock by the wait,
/// records it in <see cref="Waits"/> and returns at once, so retry intervals and recurrences cost nothing.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> timers = [];
    private readonly List<TimeSpan> waits = [];
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public ManualClock() : this(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero))
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
