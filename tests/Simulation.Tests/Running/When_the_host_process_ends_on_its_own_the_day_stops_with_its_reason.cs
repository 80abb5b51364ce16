using System.Diagnostics;
using Simulation.Faults;
using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>
/// <c>simulate --crash-process</c>: a host process that ends without being told to (a restart that fails, an exit of its
/// own) stops the day at once with the host's exit code, instead of leaving the publisher posting to a dead intake for
/// ever (a day hung that way for 15 minutes when a restarted host failed in its broker's restore).
/// </summary>
[TestClass]
public sealed class When_the_host_process_ends_on_its_own_the_day_stops_with_its_reason
{
    [TestMethod]
    public async Task A_host_that_says_it_is_ready_and_then_exits_with_code_7_fails_the_day_with_code_7()
    {
        var folder = Path.Combine(Path.GetTempPath(), "simulate-host-exit-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var options = new SimulationOptions
            {
                ProjectRoot = RepositoryRoot.FullPath,
                Orders = 20,
                Seed = 3,
                Profile = FaultProfile.Clean,
                CrashProcess = 1,
                ReportFolder = folder,
                StateFolder = Path.Combine(folder, "state"),
                SettleTimeout = TimeSpan.FromMinutes(3),
            };
            var progress = new RecordedProgress();
            // A safety net only: without the fix the day never ends; with it, it ends as soon as the host has exited.
            using var safetyNet = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            var failure = await Assert.ThrowsExactlyAsync<HostProcessFailedException>(() =>
                CrashingHostSimulation.RunAsync(options, ReadyThenExits, progress, safetyNet.Token));

            StringAssert.Contains(failure.Message, "exited with code 7 on its own");
            Assert.IsFalse(safetyNet.IsCancellationRequested, "the day stopped because the host ended, not because the test gave up");
            Assert.IsTrue(progress.Lines.Any(l => l.Contains("host: the broker's restore failed", StringComparison.Ordinal)),
                "what the host wrote before it ended is in the day's log:\n" + string.Join("\n", progress.Lines));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A stand-in for the host: announces an intake nobody listens on, writes its last words, and exits with 7.</summary>
    private static ProcessStartInfo ReadyThenExits(string config)
    {
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""echo 'ready {"intake":"http://127.0.0.1:9/","resumed":0}'; sleep 0.3; echo "the broker's restore failed" >&2; exit 7""");
        return start;
    }
}
