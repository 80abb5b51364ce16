using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Simulation.Faults;
using Simulation.Reporting;
using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>
/// A small day through the whole local stack (the project's workflows, custom code, SQLite broker, run store, stand-ins):
/// every invariant holds on a clean day and on a day with every fault, summary.json has exactly the fields of the issue,
/// and report.html renders every chart in headless Chromium without a console error.
/// </summary>
[TestClass]
public sealed class When_a_day_is_simulated_the_invariants_hold_and_the_report_renders
{
    private static string folder = null!;
    private static SimulationResult clean = null!;

    [ClassInitialize]
    public static async Task SimulateACleanDay(TestContext _)
    {
        folder = Path.Combine(Path.GetTempPath(), "simulate-" + Guid.NewGuid().ToString("N")[..12]);
        clean = await SimulateAsync("clean", 40, FaultProfile.Clean);
        clean.Summary.Write(Path.Combine(folder, "clean", "summary.json"));
        HtmlReport.Write(Path.Combine(folder, "clean", "report.html"), clean);
    }

    [ClassCleanup]
    public static void DeleteTheFolder()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    [TestMethod]
    public void A_clean_day_holds_every_invariant_with_every_event_processed_once()
    {
        var summary = clean.Summary;

        Assert.IsTrue(summary.InvariantsHeld, string.Join("\n", summary.Violations));
        Assert.AreEqual(40, summary.Orders);
        Assert.AreEqual(Events(clean), summary.Events, "every event of the day was accepted");
        Assert.AreEqual(0, summary.Lost);
        Assert.IsTrue(summary.DuplicateSideEffects.Values.All(n => n == 0));
        Assert.AreEqual(0, summary.DeadLettered, "a clean day dead-letters nothing");
        Assert.IsGreaterThan(0, summary.SimulatedSeconds);
        Assert.IsGreaterThan(summary.DurationSeconds, summary.SimulatedSeconds, "simulated time runs faster than the wall clock");
        CollectionAssert.AreEquivalent(new[] { "OrderIntake", "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive" }, summary.ActionsPerRun.Keys.ToArray());
        Assert.IsTrue(summary.ActionsPerRun.Values.All(a => a >= 1));
        CollectionAssert.AreEquivalent(new[] { "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive" }, summary.StorageTransactionsPerMessage.Keys.ToArray());
        Assert.IsTrue(summary.StorageTransactionsPerMessage.Values.All(n => n > 0), "every subscriber's custom code used storage");
    }

    [TestMethod]
    public void Summary_json_has_exactly_the_fields_of_the_issue()
    {
        var json = JObject.Parse(File.ReadAllText(Path.Combine(folder, "clean", "summary.json")));

        CollectionAssert.AreEqual(new[]
        {
            "orders", "events", "durationSeconds", "simulatedSeconds", "ordersPerSecond", "workflowRunsPerSecond", "peakWorkingSetBytes",
            "actionsPerRun", "storageTransactionsPerMessage", "lost", "duplicateSideEffects", "deadLettered", "alerts", "invariantsHeld", "violations",
        }, json.Properties().Select(p => p.Name).ToArray());
        CollectionAssert.AreEquivalent(new[] { "sap", "twilio", "warehouse", "lake" }, ((JObject)json["duplicateSideEffects"]!).Properties().Select(p => p.Name).ToArray());
        Assert.AreEqual(JTokenType.Boolean, json["invariantsHeld"]!.Type);
        Assert.AreEqual(JTokenType.Array, json["violations"]!.Type);
    }

    [TestMethod]
    public async Task The_report_renders_every_chart_in_headless_Chromium_without_a_console_error()
    {
        var report = Path.Combine(folder, "clean", "report.html");
        var html = await File.ReadAllTextAsync(report);
        Assert.DoesNotContain("src=\"http", html, "self-contained: nothing is loaded from elsewhere");

        var rendered = await OpenInChromiumAsync(report);

        Assert.IsEmpty((JArray)rendered["errors"]!, rendered["errors"]!.ToString());
        Assert.IsEmpty((JArray)rendered["requests"]!, "the page asks for nothing outside itself");
        var charts = ((JArray)rendered["charts"]!).ToDictionary(c => c.Value<string>("name")!, c => (JObject)c);
        CollectionAssert.AreEquivalent(HtmlReport.Charts, charts.Keys.ToArray());
        Assert.IsTrue(charts.Values.All(c => c.Value<bool>("rendered")), rendered.ToString());
        foreach (var name in new[] { "throughput", "latency", "deliveries", "actions", "memory" })
        {
            Assert.IsGreaterThan(0, charts[name].Value<int>("marks"), $"the {name} chart drew its data");
        }
        StringAssert.Contains(charts["dead-letters"].Value<string>("text"), "no data", "a clean day has no dead letters to draw");
    }

    [TestMethod]
    public async Task A_day_with_transient_failures_poison_repeats_lost_locks_and_disorder_holds_every_invariant()
    {
        // These faults, often enough to happen in a small day. Crashes and lost SAP replies are specified below: a
        // repeated side effect without an idempotency key at the downstream can't be prevented by the workflows.
        var profile = FaultProfile.Parse("""
            { "transient": { "sap": 0.15, "twilio": 0.15, "warehouse": 0.15, "lake": 0.1, "teams": 0.2 },
              "poison": 0.05, "duplicatePublish": 0.15, "lockLoss": 0.08, "outOfOrder": 0.15 }
            """, "no-crash");

        // Faster simulated time: the 2-minute Waits of runs that find another run's claim take less wall time.
        var result = await SimulateAsync("faults", 60, profile, speed: 100);

        Assert.IsTrue(result.Summary.InvariantsHeld, string.Join("\n", result.Summary.Violations));
        Assert.AreEqual(Events(result), result.Summary.Events);
        var faults = result.Faults;
        Assert.IsGreaterThan(0, faults.Transients, "transient failures happened");
        Assert.IsGreaterThan(0, faults.LockLosses, "locks were lost");
        Assert.IsGreaterThan(0, faults.PoisonOrders);
        Assert.IsGreaterThan(0, result.Summary.DeadLettered, "poison orders were dead-lettered");
        Assert.AreEqual(result.Summary.DeadLettered, result.Summary.Alerts, "one alert per dead letter");
    }

    [TestMethod]
    public async Task Runs_interrupted_by_host_crashes_resume_and_nothing_is_lost_or_left_behind()
    {
        var profile = FaultProfile.Parse("""{ "crash": 0.15 }""", "crash");

        var result = await SimulateAsync("crash", 60, profile, speed: 100);

        Assert.IsGreaterThan(0, result.Faults.Crashes, "runs crashed");
        Assert.AreEqual(Events(result), result.Summary.Events);
        Assert.AreEqual(0, result.Summary.Lost, string.Join("\n", result.Summary.Violations));
        Assert.AreEqual(result.Summary.DeadLettered, result.Summary.Alerts);
        Assert.IsFalse(result.Summary.Violations.Any(v => v.Contains("left on the broker", StringComparison.Ordinal) || v.Contains("out of business order", StringComparison.Ordinal)),
            string.Join("\n", result.Summary.Violations));
        // What a crash after a side effect repeats: only downstreams without an idempotency key (SAP, Twilio).
        Assert.AreEqual(0, result.Summary.DuplicateSideEffects["warehouse"]);
        Assert.AreEqual(0, result.Summary.DuplicateSideEffects["lake"]);
    }

    private static async Task<SimulationResult> SimulateAsync(string name, int orders, FaultProfile profile, double speed = 30)
    {
        var options = new SimulationOptions
        {
            ProjectRoot = RepositoryRoot.FullPath,
            Orders = orders,
            Seed = 3,
            Profile = profile,
            ReportFolder = Path.Combine(folder, name),
            StateFolder = Path.Combine(folder, name, "state"),
            SettleTimeout = TimeSpan.FromMinutes(3),
            Speed = speed,
        };
        return await DaySimulation.RunAsync(options, new Silent(), CancellationToken.None);
    }

    private static long Events(SimulationResult result)
    {
        var day = result.Metrics.Day;
        return Enumerable.Range(0, day.Orders).Sum(o => day.Plan(o).Kinds().Count());
    }

    private static async Task<JObject> OpenInChromiumAsync(string report)
    {
        var script = RepositoryRoot.PathOf("tools/node/check-report.js");
        var start = new ProcessStartInfo("node", [script, report])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.PathOf("tools/node"),
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, node.ExitCode, $"check-report.js failed: {await errors}");
        return JObject.Parse(await output);
    }

    private sealed class Silent : ISimulationProgress
    {
        public void Sample(ProgressSnapshot snapshot) { }

        public void Log(string line) { }
    }
}
