using System.Diagnostics;
using System.Globalization;

namespace Simulation.Reporting;

/// <summary>
/// What the simulating process spent, for the console summary: CPU time and garbage collection. Whole-process figures
/// (with <c>--crash-process</c> the workflows run in a child host, whose own figures these are not). The GC's pause time is
/// the wall time during which the runtime had stopped every managed thread: on a 2-core machine the collector then works
/// on as many cores as it has heaps, and the others idle (docs/benchmarks-history.md, "Garbage collection").
/// <see cref="GC.GetTotalPauseDuration"/>, <see cref="GC.CollectionCount"/> and <see cref="GC.GetTotalAllocatedBytes"/>:
/// https://learn.microsoft.com/dotnet/api/system.gc.
/// </summary>
public sealed record ProcessFigures(TimeSpan UserCpu, TimeSpan SystemCpu, int Collections, int Gen1Collections, int Gen2Collections, TimeSpan GcPaused, long AllocatedBytes)
{
    public TimeSpan TotalCpu => UserCpu + SystemCpu;

    public static ProcessFigures Capture()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessFigures(process.UserProcessorTime, process.PrivilegedProcessorTime,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
    }

    public string CpuLine(int orders) => string.Create(CultureInfo.InvariantCulture,
        $"  CPU             {TotalCpu.TotalSeconds:N1} s ({UserCpu.TotalSeconds:N1} user, {SystemCpu.TotalSeconds:N1} system), {TotalCpu.TotalMilliseconds / Math.Max(1, orders):N2} ms per order (whole process)");

    /// <summary>Collections of every generation (a gen1 or gen2 collection collects gen0 too), the pause time against the
    /// day's wall time, and the bytes allocated per order.</summary>
    public string GcLine(int orders, TimeSpan wall) => string.Create(CultureInfo.InvariantCulture,
        $"  GC              {Collections:N0} collections ({Gen1Collections:N0} gen1, {Gen2Collections:N0} gen2), paused {GcPaused.TotalSeconds:N1} s " +
        $"({(wall > TimeSpan.Zero ? 100 * GcPaused / wall : 0):N1} % of the day), {AllocatedBytes / 1024.0 / Math.Max(1, orders):N0} KB allocated per order");
}
