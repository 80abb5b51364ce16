using Cli.Preflight.Host;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// The committed host.json against Learn's ranges, by preflight's own rule (<see cref="HostSettings"/>: Learn, "Edit
/// host and app settings for Standard logic apps", Run duration and history retention): <c>Runtime.Backend.FlowRunTimeout</c>
/// at least 7 days and at most the run-history retention. The retention checked against is the smallest one
/// configured: the settings template's and the app setting the infrastructure as code gives the Logic App.
/// </summary>
[TestClass]
public sealed class When_host_json_sets_the_run_timeout_it_is_within_the_range_Learn_documents
{
    private static IReadOnlyList<string> HostProblems(string root, int? iacRetentionDays)
    {
        var host = JObject.Parse(File.ReadAllText(Path.Combine(root, "host.json")));
        var settings = JObject.Parse(File.ReadAllText(Path.Combine(root, "local.settings.template.json")));
        int? local = int.TryParse((string?)settings.SelectToken($"Values['{HostSettings.RetentionAppSetting}']"), out var days) ? days : null;
        return HostSettings.Find(host, new[] { local, iacRetentionDays }.Min()).Select(p => p.ToString()).ToList();
    }

    private static int? IacRetentionDays() =>
        int.TryParse((string?)AppSettings.Evaluated(RepositoryFiles.MainTemplate())[HostSettings.RetentionAppSetting], out var days) ? days : null;

    [TestMethod]
    public void The_committed_host_json_is_within_7_days_and_the_retention()
    {
        Assert.IsNotNull(IacRetentionDays(), "the IaC sets the run-history retention");
        Problems.AssertNone(HostProblems(RepositoryRoot.FullPath, IacRetentionDays()));
    }

    [TestMethod]
    public void A_one_day_run_timeout_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("host.json", h => h.SelectToken("extensions.workflow.settings")![HostSettings.FlowRunTimeout] = "1.00:00:00");
        Problems.AssertReported(HostProblems(fixture.Root, null), "Learn documents 7 days as its minimum");
    }

    [TestMethod]
    public void A_run_timeout_longer_than_the_retention_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("host.json", h => h.SelectToken("extensions.workflow.settings")![HostSettings.FlowRunTimeout] = "90.00:00:00");
        Problems.AssertReported(HostProblems(fixture.Root, null), "longer than the run history is kept");
    }

    [TestMethod]
    public void A_missing_run_timeout_is_reported_because_its_default_outlives_the_retention()
    {
        using var fixture = new DefectFixture().EditJson("host.json", h => ((JObject)h.SelectToken("extensions.workflow.settings")!).Remove(HostSettings.FlowRunTimeout));
        Problems.AssertReported(HostProblems(fixture.Root, null), "is not set: its default of 90 day(s) outlives the run history");
    }
}
