using Simulation.Reporting;

namespace Simulation.Tests.Reporting;

[TestClass]
public sealed class ProcessFigures_Specs
{
    private static readonly ProcessFigures Figures = new(
        UserCpu: TimeSpan.FromSeconds(90), SystemCpu: TimeSpan.FromSeconds(10),
        Collections: 120, Gen1Collections: 30, Gen2Collections: 5, GcPaused: TimeSpan.FromSeconds(6), AllocatedBytes: 2_048_000_000);

    [TestMethod]
    public void The_CPU_line_gives_the_CPU_time_per_order()
    {
        Assert.AreEqual("  CPU             100.0 s (90.0 user, 10.0 system), 5.00 ms per order (whole process)", Figures.CpuLine(orders: 20_000));
    }

    [TestMethod]
    public void The_GC_line_gives_the_pause_as_a_share_of_the_day_and_the_bytes_allocated_per_order()
    {
        Assert.AreEqual("  GC              120 collections (30 gen1, 5 gen2), paused 6.0 s (10.0 % of the day), 100 KB allocated per order",
            Figures.GcLine(orders: 20_000, wall: TimeSpan.FromSeconds(60)));
    }

    [TestMethod]
    public void A_day_of_no_orders_and_no_time_prints_zeros_rather_than_failing()
    {
        StringAssert.Contains(Figures.GcLine(orders: 0, wall: TimeSpan.Zero), "(0.0 % of the day)");
    }

    [TestMethod]
    public void The_figures_of_this_process_are_read_from_the_runtime()
    {
        var figures = ProcessFigures.Capture();
        Assert.IsTrue(figures.TotalCpu > TimeSpan.Zero);
        Assert.IsTrue(figures.AllocatedBytes > 0);
        Assert.IsTrue(figures.Collections >= figures.Gen1Collections && figures.Gen1Collections >= figures.Gen2Collections);
    }
}
