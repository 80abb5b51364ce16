namespace Simulation.Running;

/// <summary>
/// When a host process counts as idle: it said "nothing busy, nothing to resume" in <c>needed</c> status reports in a row,
/// all of them received after the wait for idleness began. A streak from before (a host restarting while the publisher
/// backs off for up to two seconds is quiet for that long) says nothing about the events accepted since, and ended the day
/// with their messages still on the broker. Not thread-safe: the supervisor calls it under its own lock.
/// </summary>
internal sealed class QuietStreak(int needed)
{
    private int streak;
    private bool waiting;

    /// <summary>The wait for idleness begins: only reports from now on count.</summary>
    public void BeginWait()
    {
        streak = 0;
        waiting = true;
    }

    /// <summary>A new host process: its predecessor's reports count for nothing.</summary>
    public void Restart() => streak = 0;

    public void Observe(bool quiet) => streak = quiet ? streak + 1 : 0;

    public bool IsIdle => waiting && streak >= needed;
}
