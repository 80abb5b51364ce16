using Cli.Commands;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Packaging;

/// <summary>
/// A zip without the built custom code deploys cleanly and then every InvokeFunction fails (issue 9, finding 3), so
/// package refuses it with a clear message and a non-zero exit unless --allow-missing-custom-code says so on purpose.
/// </summary>
[TestClass]
public sealed class When_the_custom_code_is_not_built_package_refuses
{
    [TestMethod]
    public void No_zip_is_written_and_the_exit_code_is_1()
    {
        using var fixture = new DefectFixture();
        using var sap = FakeBuildOutput.SapNcoFolder();
        var (exitCode, entries) = FakeBuildOutput.Package(fixture.Root, "--sap-nco", sap.Path);
        Assert.AreEqual(1, exitCode);
        Assert.AreEqual(0, entries.Count, "no package may be written");
    }

    [TestMethod]
    public void The_refusal_names_each_missing_function_json_and_the_build_to_run()
    {
        using var fixture = new DefectFixture();
        var outcome = PackageCommand.Build(LogicAppProject.Locate(fixture.Root), Path.Combine(fixture.Root, "out.zip"), new PackageOptions(AllowMissingSap: true));
        Assert.IsFalse(outcome.Written);
        var lines = outcome.Refusals.Select(r => r.ToString()).ToArray();
        Assert.IsTrue(lines.Any(l => l.StartsWith("lib/custom/PrepareToPublish/function.json: is missing: OrderIntake", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.StartsWith("lib/custom/net8: holds no assembly", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.All(l => l.Contains("Fix: build CustomCode/OrderEvents.Functions", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsFalse(File.Exists(Path.Combine(fixture.Root, "out.zip")));
    }

    [TestMethod]
    public void One_missing_function_is_enough_to_refuse()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        File.Delete(Path.Combine(fixture.Root, "lib/custom/DecideSettlement/function.json"));
        var outcome = PackageCommand.Build(LogicAppProject.Locate(fixture.Root), Path.Combine(fixture.Root, "out.zip"), new PackageOptions(AllowMissingSap: true));
        Assert.AreEqual(1, outcome.Refusals.Count, string.Join("\n", outcome.Refusals));
        StringAssert.StartsWith(outcome.Refusals[0].ToString(), "lib/custom/DecideSettlement/function.json: is missing");
    }

    [TestMethod]
    public void Allow_missing_custom_code_packages_anyway()
    {
        using var fixture = new DefectFixture();
        using var sap = FakeBuildOutput.SapNcoFolder();
        var (exitCode, entries) = FakeBuildOutput.Package(fixture.Root, "--sap-nco", sap.Path, "--allow-missing-custom-code");
        Assert.AreEqual(0, exitCode);
        CollectionAssert.Contains(entries.ToList(), "OrderIntake/workflow.json");
    }

    [TestMethod]
    public void With_the_built_custom_code_the_package_is_written()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        using var sap = FakeBuildOutput.SapNcoFolder();
        var (exitCode, entries) = FakeBuildOutput.Package(fixture.Root, "--sap-nco", sap.Path);
        Assert.AreEqual(0, exitCode);
        CollectionAssert.Contains(entries.ToList(), FakeBuildOutput.AssemblyPath);
        CollectionAssert.Contains(entries.ToList(), "lib/custom/ValidateOrderEvent/function.json");
    }
}
