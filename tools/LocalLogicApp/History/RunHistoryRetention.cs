using System.Globalization;
using LocalLogicApp.Hosting;
using Workflows.Runtime.History;

namespace LocalLogicApp.History;

/// <summary>
/// How long the local app keeps a run after it started, from the setting Azure reads. Learn, "Limits and configuration
/// reference for Azure Logic Apps", section "Run duration and retention history limits", Standard tab
/// (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#run-duration-and-retention-history-limits):
/// a Standard logic app changes its 90-day default with the app setting <c>Workflows.RuntimeConfiguration.RetentionInDays</c>
/// ("Edit host and app settings", app settings reference: "Sets the amount of time in days to keep workflow run history
/// after a run starts", default 90). host.json's <c>Runtime.FlowRetentionThreshold</c>, the name earlier revisions of the
/// host settings page gave, is honoured only when the app setting is absent.
/// </summary>
public static class RunHistoryRetention
{
    public const string AppSetting = "Workflows.RuntimeConfiguration.RetentionInDays";

    public static TimeSpan MaxAge(IReadOnlyDictionary<string, string> appSettings, HostSettings host)
    {
        if (!appSettings.TryGetValue(AppSetting, out var text))
            return host.Duration(HostSettings.FlowRetentionThreshold, RunRetention.DefaultMaxAge);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1
            ? TimeSpan.FromDays(days)
            : throw new InvalidOperationException($"app setting '{AppSetting}' is '{text}', which is not a whole number of days of at least 1 (Azure's default is 90).");
    }
}
