using Cli;
using Cli.Commands;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Packaging;

/// <summary>
/// The SAP built-in connector needs SAP NCo 3.1 (rscp4n.dll, sapnco.dll, sapnco_utils.dll) in
/// lib/builtinOperationSdks/net472 (Learn, "Connect to SAP from workflows in Azure Logic Apps", Standard
/// prerequisites). package --sap-nco DIR places them; without them it refuses while a workflow uses SAP, unless
/// --allow-missing-sap (environments without SAP).
/// </summary>
[TestClass]
public sealed class When_a_workflow_uses_SAP_package_needs_the_NCo_libraries
{
    [TestMethod]
    public void Sap_nco_places_the_three_libraries_under_builtinOperationSdks_net472()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        using var sap = FakeBuildOutput.SapNcoFolder();
        var (exitCode, entries) = FakeBuildOutput.Package(fixture.Root, "--sap-nco", sap.Path);
        Assert.AreEqual(0, exitCode);
        foreach (var library in FakeBuildOutput.SapLibraries)
            CollectionAssert.Contains(entries.ToList(), "lib/builtinOperationSdks/net472/" + library);
    }

    [TestMethod]
    public void Without_them_the_package_is_refused_naming_each_library()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        var outcome = PackageCommand.Build(LogicAppProject.Locate(fixture.Root), Path.Combine(fixture.Root, "out.zip"), new PackageOptions());
        Assert.IsFalse(outcome.Written);
        var lines = outcome.Refusals.Select(r => r.ToString()).ToArray();
        foreach (var library in FakeBuildOutput.SapLibraries)
            Assert.IsTrue(lines.Any(l => l.StartsWith($"lib/builtinOperationSdks/net472/{library}: is missing: SapFulfillment", StringComparison.Ordinal)), string.Join("\n", lines));
        Assert.IsTrue(lines.All(l => l.Contains("--sap-nco DIR", StringComparison.Ordinal) && l.Contains("--allow-missing-sap", StringComparison.Ordinal)));
        Assert.AreEqual(1, FakeBuildOutput.Package(fixture.Root).ExitCode);
    }

    [TestMethod]
    public void Allow_missing_sap_packages_without_them()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        var (exitCode, entries) = FakeBuildOutput.Package(fixture.Root, "--allow-missing-sap");
        Assert.AreEqual(0, exitCode);
        Assert.IsFalse(entries.Any(e => e.StartsWith("lib/builtinOperationSdks/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_folder_lacking_one_library_is_a_usage_error_naming_it()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        using var sap = FakeBuildOutput.SapNcoFolder("sapnco.dll", "sapnco_utils.dll");
        var error = Assert.ThrowsExactly<CliUsageException>(() =>
            PackageCommand.Build(LogicAppProject.Locate(fixture.Root), Path.Combine(fixture.Root, "out.zip"), new PackageOptions(SapNcoFolder: sap.Path)));
        StringAssert.Contains(error.Message, "lacks rscp4n.dll");
    }

    [TestMethod]
    public void Without_an_SAP_workflow_no_library_is_needed()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        Directory.Delete(Path.Combine(fixture.Root, "workflows/SapFulfillment"), recursive: true);
        Directory.Delete(Path.Combine(fixture.Root, "workflows/SapFulfillmentDeadLetters"), recursive: true);
        var outcome = PackageCommand.Build(LogicAppProject.Locate(fixture.Root), Path.Combine(fixture.Root, "out.zip"), new PackageOptions());
        Assert.IsTrue(outcome.Written, string.Join("\n", outcome.Refusals));
    }
}
