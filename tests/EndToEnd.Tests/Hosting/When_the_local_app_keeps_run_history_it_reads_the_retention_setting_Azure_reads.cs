using LocalLogicApp.History;
using LocalLogicApp.Hosting;

namespace EndToEnd.Tests.Hosting;

/// <summary>A Standard logic app keeps run history for the app setting <c>Workflows.RuntimeConfiguration.RetentionInDays</c>
/// (Learn, limits, "Run duration and retention history limits"); the local app keeps it for the same setting, so a run
/// an operator could resubmit locally could be resubmitted in Azure.</summary>
[TestClass]
public sealed class When_the_local_app_keeps_run_history_it_reads_the_retention_setting_Azure_reads
{
    private static readonly HostSettings NoHostSettings = new(new Dictionary<string, string>());

    private static Dictionary<string, string> AppSettings(string? retentionInDays) =>
        retentionInDays is null ? [] : new() { [RunHistoryRetention.AppSetting] = retentionInDays };

    [TestMethod]
    public void The_app_setting_gives_the_days_kept()
    {
        Assert.AreEqual(TimeSpan.FromDays(30), RunHistoryRetention.MaxAge(AppSettings("30"), NoHostSettings));
    }

    [TestMethod]
    public void The_projects_own_settings_keep_runs_as_long_as_the_infrastructure_does()
    {
        var settings = LocalAppSettings.Compose(RepositoryRoot.FullPath, new Dictionary<string, string>());

        Assert.AreEqual(TimeSpan.FromDays(30), RunHistoryRetention.MaxAge(settings, HostSettings.Read(RepositoryRoot.FullPath)),
            "local.settings.template.json and deploy/infra/main.bicep (runRetentionInDays) both say 30 days");
    }

    [TestMethod]
    public void Without_the_app_setting_the_earlier_host_setting_applies_and_then_Azures_default_of_90_days()
    {
        var host = new HostSettings(new Dictionary<string, string> { [HostSettings.FlowRetentionThreshold] = "7.00:00:00" });

        Assert.AreEqual(TimeSpan.FromDays(7), RunHistoryRetention.MaxAge(AppSettings(null), host));
        Assert.AreEqual(TimeSpan.FromDays(90), RunHistoryRetention.MaxAge(AppSettings(null), NoHostSettings));
    }

    [TestMethod]
    public void The_app_setting_wins_over_the_host_setting()
    {
        var host = new HostSettings(new Dictionary<string, string> { [HostSettings.FlowRetentionThreshold] = "7.00:00:00" });

        Assert.AreEqual(TimeSpan.FromDays(45), RunHistoryRetention.MaxAge(AppSettings("45"), host));
    }

    [TestMethod]
    [DataRow("thirty")]
    [DataRow("0")]
    [DataRow("-5")]
    [DataRow("30.5")]
    public void A_value_that_is_not_a_whole_number_of_days_is_refused_naming_the_setting(string value)
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => RunHistoryRetention.MaxAge(AppSettings(value), NoHostSettings));

        Assert.AreEqual($"app setting 'Workflows.RuntimeConfiguration.RetentionInDays' is '{value}', which is not a whole number of days of at least 1 (Azure's default is 90).", error.Message);
    }
}
