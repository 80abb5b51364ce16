using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Infrastructure.Bicep;

/// <summary>
/// The real Bicep CLI judges the IaC: <c>bicep build</c> type-checks every resource against Azure's published resource
/// types (BCP codes) and <c>bicep lint</c> applies the linter with every rule of deploy/infra/bicepconfig.json at error
/// level. Both must report nothing. Bicep reports type errors as warnings and still exits 0, which is why the checks
/// read the SARIF diagnostics, not the exit code; the fixtures prove each check can fail.
/// </summary>
[TestClass]
public sealed class When_the_Bicep_is_compiled_Azure_s_own_types_accept_every_property
{
    [TestMethod]
    public void bicep_build_of_main_reports_no_warning_and_no_error()
    {
        var build = CompiledInfrastructure.MainResult;
        Assert.AreEqual(0, build.ExitCode, build.StandardError);
        Assert.IsEmpty(build.Diagnostics, string.Join("\n", build.Diagnostics));
        Assert.IsNotNull(build.Template);
    }

    [TestMethod]
    public void bicep_lint_reports_nothing_for_main_and_every_module()
    {
        var files = Directory.EnumerateFiles(RepositoryRoot.PathOf("deploy/infra"), "*.bicep", SearchOption.AllDirectories).Order().ToList();
        Assert.IsGreaterThanOrEqualTo(10, files.Count, "main.bicep and its modules");
        var problems = new List<string>();
        foreach (var file in files)
        {
            var lint = BicepCli.Lint(file);
            if (lint.ExitCode != 0 || lint.Diagnostics.Count > 0)
            {
                problems.Add($"{Path.GetFileName(file)} (exit {lint.ExitCode}):\n  " + string.Join("\n  ", lint.Diagnostics));
            }
        }
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void Every_linter_rule_is_raised_to_error()
    {
        var rules = (JObject)RepositoryFiles.ReadJson("deploy/infra/bicepconfig.json").SelectToken("analyzers.core.rules")!;
        Assert.IsGreaterThanOrEqualTo(30, rules.Count);
        var notErrors = rules.Properties().Where(r => (string?)r.Value["level"] != "error").Select(r => r.Name).ToList();
        Assert.IsEmpty(notErrors, "Rules not at error level: " + string.Join(", ", notErrors));
    }

    [TestMethod]
    public void An_unknown_property_is_reported_by_build_although_the_exit_code_is_0()
    {
        using var copy = new DefectFixture();
        copy.Replace("deploy/infra/modules/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: false\n    sharedKeysWelcome: true");

        var build = BicepCli.Build(copy.PathOf("deploy/infra/modules/storage.bicep"));

        Assert.AreEqual(0, build.ExitCode, "Bicep exits 0 on type warnings: that is why the check reads the diagnostics.");
        Assert.HasCount(1, build.Diagnostics, string.Join("\n", build.Diagnostics));
        Assert.AreEqual("BCP037", build.Diagnostics[0].Code);
        StringAssert.Contains(build.Diagnostics[0].Message, "sharedKeysWelcome");
    }

    [TestMethod]
    public void A_linter_finding_fails_lint_because_the_rules_are_errors()
    {
        using var copy = new DefectFixture();
        copy.Replace("deploy/infra/modules/network.bicep", "param location string", "param location string\nparam forgotten string");

        var lint = BicepCli.Lint(copy.PathOf("deploy/infra/modules/network.bicep"));

        Assert.AreNotEqual(0, lint.ExitCode);
        Assert.IsTrue(lint.Diagnostics.Any(d => d.Code == "no-unused-params" && d.Message.Contains("forgotten", StringComparison.Ordinal)),
            string.Join("\n", lint.Diagnostics));
    }

    [TestMethod]
    public void Only_the_listed_gaps_in_Azure_s_types_are_suppressed()
    {
        var suppressions = BicepSuppressions.InRepository();
        var unexpected = BicepSuppressions.Unexpected(suppressions);
        Assert.IsEmpty(unexpected, string.Join("\n", unexpected));
        Assert.HasCount(BicepSuppressions.Allowed.Count, suppressions, "An allowed suppression is no longer needed: remove it from the list.");
    }

    [TestMethod]
    public void A_new_suppression_is_reported()
    {
        var text = "resource s 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  properties: {\n    #disable-next-line BCP037\n    allowSharedKeyAcess: true\n  }\n}\n";

        var unexpected = BicepSuppressions.Unexpected(BicepSuppressions.Find("modules/storage.bicep", text));

        Assert.HasCount(1, unexpected);
        Assert.AreEqual("BCP037", unexpected[0].Code);
        Assert.AreEqual("allowSharedKeyAcess: true", unexpected[0].SuppressedLine);
    }
}
