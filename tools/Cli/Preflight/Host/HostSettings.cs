using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Host;

/// <summary>
/// host.json settings within the ranges Learn documents, "Edit host and app settings for Standard logic apps",
/// Reference for host settings - host.json (https://learn.microsoft.com/azure/logic-apps/edit-app-settings-host-settings#reference-for-host-settings---hostjson):
/// <list type="bullet">
/// <item><c>Runtime.Backend.FlowRunTimeout</c> (section Run duration and history retention; default 90 days): "The
/// minimum value for this setting is 7 days", and it must be less than or equal to the app setting
/// <c>Workflows.RuntimeConfiguration.RetentionInDays</c> (default 90 days) or run histories can be deleted before
/// their jobs complete.</item>
/// <item>Every documented time setting (names ending in Timeout or Interval) is a time span (<c>d.hh:mm:ss</c>) and
/// every documented count or size is a whole number, as the table's defaults are written.</item>
/// <item>The Workflows extension bundle: a Standard logic app's host.json names
/// <c>Microsoft.Azure.Functions.ExtensionBundle.Workflows</c> (the template Visual Studio Code generates).</item>
/// </list>
/// </summary>
public static class HostSettings
{
    public const string File = "host.json";
    public const string FlowRunTimeout = "Runtime.Backend.FlowRunTimeout";
    public const string RetentionAppSetting = "Workflows.RuntimeConfiguration.RetentionInDays";
    public const int DefaultRetentionDays = 90;
    public static readonly TimeSpan MinimumFlowRunTimeout = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultFlowRunTimeout = TimeSpan.FromDays(90);
    public const string WorkflowsBundle = "Microsoft.Azure.Functions.ExtensionBundle.Workflows";

    /// <param name="retentionDays">The IaC's <c>Workflows.RuntimeConfiguration.RetentionInDays</c>, when known; otherwise the documented default.</param>
    public static IReadOnlyList<PreflightProblem> Find(JObject host, int? retentionDays)
    {
        var problems = new List<PreflightProblem>();
        var bundle = (string?)host.SelectToken("extensionBundle.id");
        if (!string.Equals(bundle, WorkflowsBundle, StringComparison.Ordinal))
        {
            problems.Add(new PreflightProblem(File, $"extensionBundle.id is '{bundle ?? "(none)"}', not {WorkflowsBundle}: the built-in connectors and the workflow runtime come from that bundle.",
                $"set extensionBundle to {{ \"id\": \"{WorkflowsBundle}\", \"version\": \"[1.*, 2.0.0)\" }}."));
        }

        var settings = host.SelectToken("extensions.workflow.settings") as JObject ?? [];
        foreach (var setting in settings.Properties())
        {
            var text = setting.Value.Type == JTokenType.String ? (string?)setting.Value : setting.Value.ToString();
            if (IsTimeSetting(setting.Name) && !TryParseTimeSpan(text, out _))
            {
                problems.Add(new PreflightProblem(File, $"{setting.Name} is '{text}', not a positive time span.", "write it as d.hh:mm:ss, e.g. \"00:02:00\" for two minutes, as Learn's host settings table does."));
            }
            else if (IsCountSetting(setting.Name) && !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                problems.Add(new PreflightProblem(File, $"{setting.Name} is '{text}', not a whole number.", "write a whole number, as Learn's host settings table does."));
            }
        }

        var retention = TimeSpan.FromDays(retentionDays ?? DefaultRetentionDays);
        if (settings[FlowRunTimeout] is null && retention < DefaultFlowRunTimeout)
        {
            problems.Add(new PreflightProblem(File, $"{FlowRunTimeout} is not set: its default of {Describe(DefaultFlowRunTimeout)} outlives the run history ({RetentionAppSetting} = {retention.TotalDays:0} days).",
                $"set it to at least \"7.00:00:00\" and at most {retention.TotalDays:0} days."));
        }
        if (settings[FlowRunTimeout] is { } timeoutToken && TryParseTimeSpan((string?)timeoutToken, out var timeout))
        {
            if (timeout < MinimumFlowRunTimeout)
            {
                problems.Add(new PreflightProblem(File, $"{FlowRunTimeout} is {Describe(timeout)}; Learn documents 7 days as its minimum.",
                    $"set it to at least \"7.00:00:00\" (and at most {RetentionAppSetting}, {Describe(retention)}); bound shorter work with action timeouts and retry policies instead."));
            }
            else if (timeout > retention)
            {
                problems.Add(new PreflightProblem(File, $"{FlowRunTimeout} is {Describe(timeout)}, longer than the run history is kept ({RetentionAppSetting} = {retention.TotalDays:0} days): histories can be deleted before their runs end.",
                    $"lower {FlowRunTimeout} to at most {retention.TotalDays:0} days, or raise {RetentionAppSetting} in the IaC."));
            }
        }
        return problems;
    }

    private static bool IsTimeSetting(string name) =>
        name.EndsWith("Timeout", StringComparison.Ordinal) || name.EndsWith("Interval", StringComparison.Ordinal);

    private static bool IsCountSetting(string name) =>
        name.EndsWith("Count", StringComparison.Ordinal) || name.EndsWith("Limit", StringComparison.Ordinal) ||
        name.EndsWith("InBytes", StringComparison.Ordinal) || name.EndsWith("Size", StringComparison.Ordinal) ||
        name.EndsWith("ProcessorCount", StringComparison.Ordinal) || name.EndsWith("Concurrency", StringComparison.Ordinal) ||
        name.EndsWith("WaitingRuns", StringComparison.Ordinal);

    /// <summary>The .NET constant format the host reads (<c>d.hh:mm:ss</c>), e.g. <c>90.00:00:00</c>.</summary>
    public static bool TryParseTimeSpan(string? text, out TimeSpan value) =>
        TimeSpan.TryParseExact(text ?? "", "c", CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0} day(s)" : span.ToString("c", CultureInfo.InvariantCulture);
}
