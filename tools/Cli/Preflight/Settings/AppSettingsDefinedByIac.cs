using System.Text.RegularExpressions;
using Cli.Preflight.Iac;

namespace Cli.Preflight.Settings;

/// <summary>
/// Every <c>@appsetting('X')</c> that connections.json, parameters.json or a workflow reads is an app setting the
/// infrastructure as code gives the Logic App. Locally the settings template supplies them; in Azure a missing one
/// makes the connection or parameter empty at run time, and nothing fails until the first call. In
/// connections.json and parameters.json, app settings are the only values that vary by environment (Learn, "Create
/// cross-environment parameters for workflow inputs": https://learn.microsoft.com/azure/logic-apps/create-parameters-workflows).
/// </summary>
public static partial class AppSettingsDefinedByIac
{
    [GeneratedRegex(@"appsetting\(\s*'(?<name>[^']+)'\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AppSettingUse();

    /// <summary>App setting name → the app files that read it (connections.json, parameters.json, each workflow.json).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Referenced(AppContent content)
    {
        var files = new[] { "connections.json", "parameters.json" }.Where(content.Contains)
            .Concat(content.WorkflowNames().Select(w => w + "/workflow.json"));
        var uses = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (Match use in AppSettingUse().Matches(content.ReadText(file)))
            {
                var name = use.Groups["name"].Value;
                if (!uses.TryGetValue(name, out var readers)) uses[name] = readers = [];
                if (!readers.Contains(file)) readers.Add(file);
            }
        }
        return uses.ToDictionary(u => u.Key, u => (IReadOnlyList<string>)u.Value);
    }

    public static IReadOnlyList<PreflightProblem> Find(AppContent content, LogicAppSettingsInIac iac)
    {
        var problems = new List<PreflightProblem>();
        if (iac.LogicAppName is null)
        {
            problems.Add(new PreflightProblem(iac.Source, "defines no Logic App (a Microsoft.Web/sites resource of kind 'functionapp,workflowapp').",
                "define the Standard logic app and its app settings in the IaC."));
            return problems;
        }
        foreach (var reason in iac.Unreadable)
        {
            problems.Add(new PreflightProblem(iac.Source, $"preflight cannot read the Logic App's app settings: {reason}.",
                "build app setting names from literals, parameters and variables, so they are known before deployment."));
        }
        foreach (var (name, readers) in Referenced(content))
        {
            if (iac.Settings.ContainsKey(name)) continue;
            foreach (var reader in readers)
            {
                problems.Add(new PreflightProblem(reader, $"reads the app setting '{name}', which {iac.Source} does not define for the Logic App {iac.LogicAppName}.",
                    $"add '{name}' to the Logic App's app settings in {iac.Source} (or stop reading it)."));
            }
        }
        return problems;
    }
}
