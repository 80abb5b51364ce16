using System.Diagnostics;
using Simulation.Clock;

namespace Simulation.Tests.Clock;

[TestClass]
public sealed class SimulatedClock_Specs
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void Simulated_time_runs_speed_times_faster_than_the_wall_clock()
    {
        var wall = DateTimeOffset.UtcNow;
        var clock = new SimulatedClock(Start, speed: 60, wallStart: wall);

        Assert.AreEqual(Start, clock.Simulated(wall));
        Assert.AreEqual(Start.AddMinutes(5), clock.Simulated(wall.AddSeconds(5)));
        Assert.AreEqual(TimeSpan.FromSeconds(5), clock.WallDuration(TimeSpan.FromMinutes(5)));
        Assert.AreEqual(Timeout.InfiniteTimeSpan, clock.WallDuration(Timeout.InfiniteTimeSpan));
    }

    [TestMethod]
    public async Task A_wait_on_the_clock_lasts_the_simulated_interval_divided_by_the_speed()
    {
        var clock = new SimulatedClock(Start, speed: 600);
        var watch = Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromMinutes(5), clock);

        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450), watch.Elapsed, "five simulated minutes are half a wall-clock second");
        Assert.IsLessThan(TimeSpan.FromSeconds(30), watch.Elapsed);
    }

    [TestMethod]
    public void Another_process_builds_the_same_clock_from_its_description()
    {
        var clock = new SimulatedClock(Start, speed: 42.5);

        var copy = SimulatedClock.Parse(clock.Describe());

        Assert.AreEqual(clock.SimulatedStart, copy.SimulatedStart);
        Assert.AreEqual(clock.WallStart, copy.WallStart);
        Assert.AreEqual(clock.Speed, copy.Speed);
        Assert.ThrowsExactly<FormatException>(() => SimulatedClock.Parse("yesterday"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SimulatedClock(Start, speed: 0));
    }
}
