using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Preflight;

/// <summary>
/// Learn, "Edit host and app settings for Standard logic apps", Run duration and history retention:
/// Runtime.Backend.FlowRunTimeout has a minimum of 7 days and must not exceed Workflows.RuntimeConfiguration.RetentionInDays.
/// </summary>
[TestClass]
public sealed class When_host_json_leaves_the_documented_ranges_preflight_reports_it
{
    private static JObject Settings(JObject host) => (JObject)host.SelectToken("extensions.workflow.settings")!;

    [TestMethod]
    public void A_run_timeout_of_one_day_is_below_the_7_day_minimum()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("host.json", h => Settings(h)["Runtime.Backend.FlowRunTimeout"] = "1.00:00:00");
        PreflightAssert.Single(fixture.Problems(), "host.json", "Runtime.Backend.FlowRunTimeout is 1 day(s); Learn documents 7 days as its minimum");
    }

    [TestMethod]
    public void A_run_timeout_beyond_the_run_history_retention_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("host.json", h => Settings(h)["Runtime.Backend.FlowRunTimeout"] = "365.00:00:00");
        PreflightAssert.Single(fixture.Problems(), "host.json", "longer than the run history is kept (Workflows.RuntimeConfiguration.RetentionInDays");
    }

    [TestMethod]
    public void A_missing_run_timeout_is_reported_when_the_retention_is_shorter_than_its_default()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("host.json", h => Settings(h).Remove("Runtime.Backend.FlowRunTimeout"));
        PreflightAssert.Single(fixture.Problems(), "host.json", "Runtime.Backend.FlowRunTimeout is not set: its default of 90 day(s) outlives the run history");
    }

    [TestMethod]
    public void A_timeout_that_is_not_a_time_span_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("host.json", h => Settings(h)["Runtime.Backend.HttpOperation.RequestTimeout"] = "PT2M");
        PreflightAssert.Single(fixture.Problems(), "host.json", "Runtime.Backend.HttpOperation.RequestTimeout is 'PT2M', not a positive time span");
    }

    [TestMethod]
    public void A_count_that_is_not_a_whole_number_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("host.json", h => Settings(h)["Runtime.Backend.HttpOperation.DefaultRetryCount"] = "four");
        PreflightAssert.Single(fixture.Problems(), "host.json", "DefaultRetryCount is 'four', not a whole number");
    }

    [TestMethod]
    public void Another_extension_bundle_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("host.json", h => h["extensionBundle"]!["id"] = "Microsoft.Azure.Functions.ExtensionBundle");
        PreflightAssert.Single(fixture.Problems(), "host.json", "extensionBundle.id is 'Microsoft.Azure.Functions.ExtensionBundle'");
    }
}
