using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>When a supervised host process counts as idle at the end of a <c>--crash-process</c> day.</summary>
[TestClass]
public sealed class QuietStreak_Specs
{
    [TestMethod]
    public void A_quiet_streak_from_before_the_wait_began_does_not_end_the_day()
    {
        var quiet = new QuietStreak(needed: 3);
        quiet.Observe(true);
        quiet.Observe(true);
        quiet.Observe(true); // the restarted host is quiet while the publisher backs off

        quiet.BeginWait(); // the publisher is done: its last events were accepted just now

        Assert.IsFalse(quiet.IsIdle);
        quiet.Observe(true);
        quiet.Observe(true);
        Assert.IsFalse(quiet.IsIdle, "two quiet reports since the wait began are not enough");
        quiet.Observe(true);
        Assert.IsTrue(quiet.IsIdle);
    }

    [TestMethod]
    public void A_busy_report_starts_the_streak_again()
    {
        var quiet = new QuietStreak(needed: 3);
        quiet.BeginWait();
        quiet.Observe(true);
        quiet.Observe(true);
        quiet.Observe(false);
        quiet.Observe(true);
        quiet.Observe(true);

        Assert.IsFalse(quiet.IsIdle);
    }

    [TestMethod]
    public void A_restarted_host_starts_the_streak_again()
    {
        var quiet = new QuietStreak(needed: 3);
        quiet.BeginWait();
        quiet.Observe(true);
        quiet.Observe(true);
        quiet.Restart();
        quiet.Observe(true);

        Assert.IsFalse(quiet.IsIdle);
    }

    [TestMethod]
    public void No_streak_counts_before_the_wait_began()
    {
        var quiet = new QuietStreak(needed: 1);
        quiet.Observe(true);

        Assert.IsFalse(quiet.IsIdle);
    }
}
