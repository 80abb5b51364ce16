namespace OrderEvents.CustomCode.Tests.Azurite;

/// <summary>A <see cref="TimeProvider"/> whose time moves only when a test says so (lease expiry without waiting).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
