namespace ServiceBus.Local.Tests.Infrastructure;

/// <summary>A clock that moves only when a spec says so: lock and TTL specs are deterministic.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
