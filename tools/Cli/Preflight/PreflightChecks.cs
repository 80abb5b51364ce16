using Cli.Iac;
using Cli.Preflight.CustomCode;
using Cli.Preflight.Host;
using Cli.Preflight.Iac;
using Cli.Preflight.Sap;
using Cli.Preflight.Settings;
using Cli.Preflight.Triggers;

namespace Cli.Preflight;

/// <param name="AllowMissingSap">For an environment without SAP: a missing NCo library is not a problem.</param>
/// <param name="AllowMissingCustomCode">For an environment that runs no custom code: missing build output is not a problem.</param>
public sealed record PreflightOptions(bool AllowMissingSap = false, bool AllowMissingCustomCode = false);

/// <summary>
/// Everything Azure needs that the local stack cannot see, in one pass over the app content and the IaC: the built
/// custom code and the versions its worker can load, the SAP client libraries, every app setting the app reads
/// defined by the IaC, Key Vault reference syntax, host.json within documented ranges, session triggers with a
/// recurrence. One <see cref="PreflightProblem"/> per problem.
/// </summary>
public static class PreflightChecks
{
    public static IReadOnlyList<PreflightProblem> Run(AppContent content, LogicAppSettingsInIac iac, PreflightOptions options)
    {
        var problems = new List<PreflightProblem>();
        var workflows = WorkflowFiles.Read(content, problems);
        if (!options.AllowMissingCustomCode) problems.AddRange(BuiltCustomCode.Find(content, workflows));
        problems.AddRange(WorkerAssemblyVersions.Find(content));
        if (!options.AllowMissingSap) problems.AddRange(SapClientLibraries.Find(content, workflows));
        problems.AddRange(AppSettingsDefinedByIac.Find(content, iac));
        problems.AddRange(KeyVaultReferences.Find(content, iac));
        if (WorkflowFiles.TryRead(content, HostSettings.File, problems) is { } host)
            problems.AddRange(HostSettings.Find(host, RetentionDays(iac)));
        problems.AddRange(SessionTriggerRecurrence.Find(workflows));
        return problems;
    }

    /// <summary>The IaC's run-history retention, when it sets one to a number.</summary>
    private static int? RetentionDays(LogicAppSettingsInIac iac) =>
        iac.Settings.TryGetValue(HostSettings.RetentionAppSetting, out var value) && int.TryParse(ArmTemplate.Text(value), out var days) ? days : null;
}
