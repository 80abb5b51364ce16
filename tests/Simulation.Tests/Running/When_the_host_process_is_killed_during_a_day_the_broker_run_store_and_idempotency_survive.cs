using System.Diagnostics;
using Simulation.Faults;
using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>
/// <c>simulate --crash-process</c>: the Logic App host is a real process, killed with SIGKILL twice while orders flow and
/// started again. Nothing accepted is lost, nothing is left on the broker, and every run the kills interrupted is resumed
/// by the restarted host and finishes: the SQLite broker, the run store and the idempotency store survived.
/// </summary>
[TestClass]
public sealed class When_the_host_process_is_killed_during_a_day_the_broker_run_store_and_idempotency_survive
{
    [TestMethod]
    public async Task Twice_killed_and_restarted_the_host_loses_nothing_and_leaves_nothing_behind()
    {
        var folder = Path.Combine(Path.GetTempPath(), "simulate-kill-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var options = new SimulationOptions
            {
                ProjectRoot = RepositoryRoot.FullPath,
                Orders = 80,
                Seed = 5,
                Profile = FaultProfile.Clean,
                CrashProcess = 2,
                Speed = 60,
                // simulate's 64 posts in flight (the default): the 80 orders are posted within about a second, so the two kills
                // come close together and land inside runs' first checkpoint batches, the window docs/runtime/engine.md
                // ("Durability") closes by storing a run before its first action.
                ReportFolder = folder,
                StateFolder = Path.Combine(folder, "state"),
                SettleTimeout = TimeSpan.FromMinutes(3),
            };
            var progress = new RecordedProgress();

            var result = await CrashingHostSimulation.RunAsync(options, HostProcess, progress, CancellationToken.None);

            Assert.AreEqual(2, result.Faults.ProcessKills);
            Assert.IsTrue(progress.Lines.Any(l => l.Contains("resumed", StringComparison.Ordinal)), "the restarted host resumed the runs the kill interrupted:\n" + string.Join("\n", progress.Lines));
            var day = result.Metrics.Day;
            Assert.AreEqual(Enumerable.Range(0, day.Orders).Sum(o => day.Plan(o).Kinds().Count()), result.Summary.Events, "every event was accepted");
            Assert.AreEqual(0, result.Summary.Lost, string.Join("\n", result.Summary.Violations));
            Assert.IsFalse(result.Summary.Violations.Any(v => v.Contains("left on the broker", StringComparison.Ordinal)), string.Join("\n", result.Summary.Violations));
            Assert.AreEqual(0, result.Summary.DeadLettered, "no good message is dead-lettered: a run killed within its first batch is resumed, and its claim is its own\n" + string.Join("\n", result.Summary.Violations));
            Assert.AreEqual(0, result.Summary.DuplicateSideEffects["warehouse"], "the warehouse's idempotency key holds across kills");
            Assert.AreEqual(0, result.Summary.DuplicateSideEffects["lake"], "the lake write is create-if-absent");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static ProcessStartInfo HostProcess(string config)
    {
        var start = new ProcessStartInfo("dotnet");
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "orders.dll"), "simulate", "--host-process", config }) start.ArgumentList.Add(argument);
        return start;
    }
}
