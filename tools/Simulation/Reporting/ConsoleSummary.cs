using System.Globalization;
using Simulation.Checking;
using Simulation.Running;

namespace Simulation.Reporting;

/// <summary>The summary <c>simulate</c> prints on stdout at the end: the figures, the faults as they fell, per-subscriber
/// latency, and the verdict with the violations (each with its order).</summary>
public static class ConsoleSummary
{
    public static void Write(TextWriter output, SimulationResult result, string reportFolder)
    {
        var s = result.Summary;
        var o = result.Options;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Simulated day: {s.Orders:N0} orders, {s.Events:N0} events, profile {o.Profile.Name}, seed {o.Seed}{(o.CrashProcess > 0 ? $", host killed {result.Faults.ProcessKills} time(s)" : "")}"));
        output.WriteLine(string.Create(c, $"  duration        {s.DurationSeconds:N1} s wall, {TimeSpan.FromSeconds(s.SimulatedSeconds):d\\.hh\\:mm\\:ss} simulated ({o.Speed:0.#}x)"));
        output.WriteLine(string.Create(c, $"  throughput      {s.OrdersPerSecond:N1} orders/s, {s.WorkflowRunsPerSecond:N1} workflow runs/s"));
        output.WriteLine(string.Create(c, $"  peak memory     {s.PeakWorkingSetBytes / 1048576.0:N0} MB working set"));
        var process = ProcessFigures.Capture();
        output.WriteLine(process.CpuLine(s.Orders));
        output.WriteLine(process.GcLine(s.Orders, TimeSpan.FromSeconds(s.DurationSeconds)));
        output.WriteLine("  actions per run " + string.Join(", ", s.ActionsPerRun.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value:0.0}"))));
        output.WriteLine("  storage ops/msg " + string.Join(", ", s.StorageTransactionsPerMessage.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value:0.0}"))));
        foreach (var subscriber in Subscribers.All)
        {
            var figures = result.Metrics.For(subscriber);
            output.WriteLine(string.Create(c,
                $"  {subscriber.Workflow(),-19} {figures.Deliveries.Value,9:N0} deliveries, {figures.Redeliveries.Value:N0} redelivered, {figures.FailedDeliveries.Value:N0} failed, " +
                $"latency p50 {figures.Latency.Percentile(50) ?? 0:0.###} s p95 {figures.Latency.Percentile(95) ?? 0:0.###} s p99 {figures.Latency.Percentile(99) ?? 0:0.###} s (simulated)"));
        }
        var f = result.Faults;
        if (!o.Profile.IsClean || o.CrashProcess > 0)
        {
            output.WriteLine(string.Create(c,
                $"  faults          {f.Transients:N0} transient, {f.LostReplies:N0} SAP replies lost, {f.PoisonOrders:N0} poison orders, {f.Repeats:N0} duplicate posts, " +
                $"{f.Crashes:N0} run crashes, {f.LockLosses:N0} locks lost, {f.OutOfOrderOrders:N0} orders out of order, {f.ProcessKills} host kills"));
        }
        output.WriteLine(string.Create(c, $"  lost {s.Lost:N0}, duplicate side effects {string.Join(", ", s.DuplicateSideEffects.Select(p => $"{p.Key} {p.Value}"))}, dead-lettered {s.DeadLettered:N0}, alerts {s.Alerts:N0}"));
        output.WriteLine($"  report          {Path.Combine(reportFolder, "report.html")}, {Path.Combine(reportFolder, "summary.json")}");
        if (s.InvariantsHeld)
        {
            output.WriteLine("Invariants: all held.");
            return;
        }
        output.WriteLine(string.Create(c, $"Invariants: {result.Check.ViolationCount:N0} violation(s):"));
        foreach (var violation in s.Violations.Take(50)) output.WriteLine("  - " + violation);
        if (result.Check.ViolationCount > 50) output.WriteLine(string.Create(c, $"  … {result.Check.ViolationCount - 50:N0} more in summary.json"));
    }
}
