using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// host.json <c>Runtime.Backend.FlowRunTimeout</c>: Learn, "Edit host and app settings for Standard logic apps"
/// (https://learn.microsoft.com/en-us/azure/logic-apps/edit-app-settings-host-settings, section "Run duration and
/// history retention"): default 90 days, "The minimum value for this setting is 7 days", and it must be less than or
/// equal to the app setting <c>Workflows.RuntimeConfiguration.RetentionInDays</c>, "otherwise, run histories can get
/// deleted before the associated jobs are complete". The retention checked against is the smallest one configured:
/// the settings template and the infrastructure's default for <c>runRetentionInDays</c>.
/// </summary>
internal static class RunTimeoutRange
{
    public const string Setting = "Runtime.Backend.FlowRunTimeout";
    public static readonly TimeSpan Minimum = TimeSpan.FromDays(7);

    public static IReadOnlyList<string> Find(string root)
    {
        var host = JObject.Parse(File.ReadAllText(Path.Combine(root, "host.json")));
        var value = (string?)host.SelectToken($"extensions.workflow.settings['{Setting}']");
        if (value is null) return [$"host.json sets no {Setting}: the 90-day default outlives the run-history retention ({Retention(root).Days} days)."];
        if (!TimeSpan.TryParseExact(value, @"d\.hh\:mm\:ss", CultureInfo.InvariantCulture, out var timeout))
            return [$"host.json {Setting} '{value}' is not a d.hh:mm:ss duration."];
        var problems = new List<string>();
        if (timeout < Minimum) problems.Add($"host.json {Setting} {value} is below the documented minimum of 7 days.");
        var retention = Retention(root);
        if (timeout > retention) problems.Add($"host.json {Setting} {value} is longer than the run-history retention of {retention.Days} days.");
        return problems;
    }

    private static TimeSpan Retention(string root)
    {
        var days = new List<int> { 90 };
        var settings = JObject.Parse(File.ReadAllText(Path.Combine(root, "local.settings.template.json")));
        if (int.TryParse((string?)settings.SelectToken("Values['Workflows.RuntimeConfiguration.RetentionInDays']"), out var local)) days.Add(local);
        var template = Path.Combine(root, "deploy/infra/main.json");
        if (File.Exists(template) && JObject.Parse(File.ReadAllText(template)).SelectToken("parameters.runRetentionInDays.defaultValue") is { Type: JTokenType.Integer } infra)
            days.Add((int)infra);
        return TimeSpan.FromDays(days.Min());
    }
}

[TestClass]
public sealed class When_host_json_sets_the_run_timeout_it_is_within_the_range_Learn_documents
{
    [TestMethod]
    public void The_committed_host_json_is_within_7_days_and_the_retention() =>
        Problems.AssertNone(RunTimeoutRange.Find(RepositoryRoot.FullPath));

    [TestMethod]
    public void A_one_day_run_timeout_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("host.json", h => h.SelectToken("extensions.workflow.settings")![RunTimeoutRange.Setting] = "1.00:00:00");
        Problems.AssertReported(RunTimeoutRange.Find(fixture.Root), "below the documented minimum of 7 days");
    }

    [TestMethod]
    public void A_run_timeout_longer_than_the_retention_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("host.json", h => h.SelectToken("extensions.workflow.settings")![RunTimeoutRange.Setting] = "90.00:00:00");
        Problems.AssertReported(RunTimeoutRange.Find(fixture.Root), "longer than the run-history retention");
    }
}
