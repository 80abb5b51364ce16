using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;

namespace Workflows.Tests.Monitoring;

/// <summary>
/// Every KPI is a count of Application Insights rows (docs/monitoring.md, "KPI definitions"). host.json samples
/// telemetry by default, and a sampled table's counts are estimates: a dead letter or a failed delivery could be
/// missing from the dashboard. So every table a dashboard query reads holds a telemetry type host.json excludes from
/// sampling (see <see cref="TelemetrySampling"/> for Learn's rule).
/// </summary>
[TestClass]
public sealed class When_the_dashboard_counts_telemetry_the_host_does_not_sample_it
{
    private static readonly Lazy<KqlCheck> Check = new(() => WorkflowCatalog.Load().Checker(RepositoryFiles.ReadJson("deploy/monitoring/schema.json")));

    private static IEnumerable<(string Source, IReadOnlySet<string> Tables)> DashboardQueries() =>
        Directory.EnumerateFiles(RepositoryRoot.PathOf("deploy/monitoring"), "*.kql").Order()
            .Select(f => (Path.GetFileName(f), Check.Value.TablesRead(File.ReadAllText(f))));

    private static JObject Host(string samplingSettings) =>
        JObject.Parse($$"""{ "version": "2.0", "logging": { "applicationInsights": { "samplingSettings": {{samplingSettings}} } } }""");

    [TestMethod]
    public void No_dashboard_query_reads_a_table_the_host_samples()
    {
        var problems = TelemetrySampling.Problems(RepositoryFiles.ReadJson("host.json"), DashboardQueries());

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void The_KPI_queries_read_the_requests_table_that_the_workflows_actions_and_triggers_write()
    {
        var tables = DashboardQueries().SelectMany(q => q.Tables).ToHashSet();

        Assert.Contains("requests", tables);
        Assert.IsFalse(TelemetrySampling.IsSampled(RepositoryFiles.ReadJson("host.json"), "Request"));
    }

    [TestMethod]
    public void A_host_json_that_samples_requests_is_reported_for_every_query_that_counts_them()
    {
        var host = Host("""{ "isEnabled": true, "excludedTypes": "Trace" }""");

        var problems = TelemetrySampling.Problems(host, DashboardQueries());

        Assert.Contains("dead-letters-and-alerts.kql: reads 'requests', whose Request telemetry host.json samples; its counts would be estimates. Add Request to logging.applicationInsights.samplingSettings.excludedTypes.", problems);
        Assert.IsFalse(problems.Any(p => p.StartsWith("service-bus-metrics.kql", StringComparison.Ordinal)), "AzureMetrics is not Application Insights telemetry");
    }

    [TestMethod]
    public void Sampling_is_on_by_default_so_a_host_json_without_sampling_settings_samples_everything()
    {
        var host = JObject.Parse("""{ "version": "2.0" }""");

        Assert.IsTrue(TelemetrySampling.IsSampled(host, "Request"));
        Assert.IsTrue(TelemetrySampling.IsSampled(host, "Trace"));
    }

    [TestMethod]
    public void A_query_on_traces_is_reported_while_only_requests_are_excluded()
    {
        var host = Host("""{ "isEnabled": true, "excludedTypes": "Request" }""");
        var query = Check.Value.TablesRead("""
            // run starts and ends are traces (Workflow.Operations.Runs); 'requests' in a comment is not read
            traces | where customDimensions.Category == "Workflow.Operations.Runs" | count
            """);

        var problems = TelemetrySampling.Problems(host, [("runs.kql", query)]);

        CollectionAssert.AreEqual(new[] { "runs.kql: reads 'traces', whose Trace telemetry host.json samples; its counts would be estimates. Add Trace to logging.applicationInsights.samplingSettings.excludedTypes." }, problems.ToArray());
    }

    [TestMethod]
    public void Excluded_types_override_included_types_and_a_type_not_included_is_not_sampled()
    {
        var host = Host("""{ "isEnabled": true, "includedTypes": "Request;Dependency", "excludedTypes": "Request" }""");

        Assert.IsFalse(TelemetrySampling.IsSampled(host, "Request"));
        Assert.IsTrue(TelemetrySampling.IsSampled(host, "Dependency"));
        Assert.IsFalse(TelemetrySampling.IsSampled(host, "Trace"));
    }

    [TestMethod]
    public void Sampling_switched_off_samples_nothing()
    {
        var host = Host("""{ "isEnabled": false }""");

        Assert.IsFalse(TelemetrySampling.IsSampled(host, "Request"));
        Assert.IsFalse(TelemetrySampling.IsSampled(host, "Trace"));
    }
}
