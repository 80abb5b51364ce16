using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// Every <c>parameters('x')</c> in a workflow or connections.json is declared in parameters.json, and every
/// <c>appsetting('x')</c> in connections.json or parameters.json is listed in local.settings.template.json, so a
/// new environment knows every setting to provide.
/// </summary>
internal static class DeclaredNames
{
    private static readonly Regex ParameterUse = new(@"parameters\('(?<name>[^']+)'\)", RegexOptions.IgnoreCase);
    private static readonly Regex AppSettingUse = new(@"appsetting\('(?<name>[^']+)'\)", RegexOptions.IgnoreCase);

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        void Scan(string where, JToken token, bool parametersAllowed, bool appSettingsAllowed)
        {
            foreach (var (path, value) in WorkflowWalker.Strings(token))
            {
                foreach (Match use in ParameterUse.Matches(value))
                {
                    if (!parametersAllowed) problems.Add($"{where}: {path} uses parameters(), which is not valid there.");
                    else if (files.Parameters[use.Groups["name"].Value] is null)
                        problems.Add($"{where}: {path} uses the parameter '{use.Groups["name"].Value}', which parameters.json does not declare.");
                }
                foreach (Match use in AppSettingUse.Matches(value))
                {
                    if (!appSettingsAllowed) continue;
                    if (files.Settings[use.Groups["name"].Value] is null)
                        problems.Add($"{where}: {path} uses the app setting '{use.Groups["name"].Value}', which local.settings.template.json does not list.");
                }
            }
        }
        foreach (var (name, workflow) in files.Workflows) Scan(name, workflow, parametersAllowed: true, appSettingsAllowed: true);
        Scan("connections.json", files.Connections, parametersAllowed: true, appSettingsAllowed: true);
        // Learn (create-parameters-workflows): parameters.json may only use appsetting(), not parameters().
        Scan("parameters.json", files.Parameters, parametersAllowed: false, appSettingsAllowed: true);
        return problems;
    }
}

[TestClass]
public sealed class When_a_parameter_or_app_setting_is_used_it_is_declared
{
    [TestMethod]
    public void Every_parameter_is_in_parameters_json_and_every_app_setting_in_the_settings_template() =>
        Problems.AssertNone(DeclaredNames.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void An_undeclared_workflow_parameter_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("parameters.json", p => p.Remove("warehouseBaseUrl"));
        Problems.AssertReported(DeclaredNames.Find(fixture.Files), "the parameter 'warehouseBaseUrl'");
    }

    [TestMethod]
    public void An_app_setting_missing_from_the_template_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("local.settings.template.json", s => ((JObject)s["Values"]!).Remove("sap_password"));
        Problems.AssertReported(DeclaredNames.Find(fixture.Files), "the app setting 'sap_password'");
    }
}
