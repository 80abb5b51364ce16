using Cli.Commands;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Packaging;

/// <summary>
/// The zip is what Azure runs: workflow folders at its root with host.json, connections.json and parameters.json
/// (Learn, "Set up DevOps deployment for Standard logic apps"), Artifacts/, lib/custom/ and, for SAP,
/// lib/builtinOperationSdks/net472/. No local settings, tests, tools, sources or IaC, and the same files give the
/// same bytes.
/// </summary>
[TestClass]
public sealed class When_the_app_is_packaged_the_zip_holds_the_app_root_and_nothing_else
{
    private static IReadOnlyList<string> PackageOf(DefectFixture fixture)
    {
        using var sap = FakeBuildOutput.SapNcoFolder();
        var (exitCode, entries) = FakeBuildOutput.Package(fixture.Root, "--sap-nco", sap.Path);
        Assert.AreEqual(0, exitCode);
        return entries;
    }

    private static DefectFixture BuiltRepository() =>
        new DefectFixture().WithRepositoryFolder("Artifacts").WithBuiltCustomCode()
            .WriteText("tests/Some.Tests/Spec.cs", "// a test")
            .WriteText("tools/Cli/Program.cs", "// a tool")
            .WriteText("CustomCode/OrderEvents.CustomCode/Mapping.cs", "// a source")
            .WriteText("README.md", "# readme");

    [TestMethod]
    public void Workflow_folders_and_the_app_files_sit_at_the_zip_root()
    {
        using var fixture = BuiltRepository();
        var entries = PackageOf(fixture).ToList();
        foreach (var expected in new[] { "host.json", "connections.json", "parameters.json", "OrderIntake/workflow.json",
                                         "SapFulfillment/workflow.json", "SapFulfillment/classify_outcome.csx", "LakeArchiveDeadLetters/workflow.json",
                                         "Artifacts/Schemas/registry.json", FakeBuildOutput.AssemblyPath, "lib/custom/ValidateOrderEvent/function.json",
                                         "lib/builtinOperationSdks/net472/sapnco.dll" })
            CollectionAssert.Contains(entries, expected);
        var workflowFolders = Directory.GetDirectories(Path.Combine(fixture.Root, "workflows")).Select(Path.GetFileName).ToArray();
        foreach (var workflow in workflowFolders) CollectionAssert.Contains(entries, $"{workflow}/workflow.json");
    }

    [TestMethod]
    public void No_local_settings_tests_tools_sources_or_infrastructure_go_in()
    {
        using var fixture = BuiltRepository()
            .WriteText("local.settings.json", "{}")
            .WriteText("workflows/OrderIntake/local.settings.json", "{}");
        var entries = PackageOf(fixture);
        var forbidden = new[] { "workflows/", "tests/", "tools/", "deploy/", "CustomCode/", ".github/", "Artifacts/Samples/" };
        Assert.IsFalse(entries.Any(e => forbidden.Any(f => e.StartsWith(f, StringComparison.Ordinal))), string.Join("\n", entries));
        Assert.IsFalse(entries.Any(e => e.EndsWith("local.settings.json", StringComparison.Ordinal) || e.EndsWith("local.settings.template.json", StringComparison.Ordinal)));
        Assert.IsFalse(entries.Contains("README.md") || entries.Contains("OrderIntegration.sln"));
    }

    [TestMethod]
    public void Funcignored_files_stay_out()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode()
            .WriteText("lib/custom/.gitkeep", "")
            .WriteText("lib/custom/bin/leftover.dll", "x");
        var entries = PackageOf(fixture);
        Assert.IsFalse(entries.Contains("lib/custom/.gitkeep"), ".git* is in .funcignore");
        Assert.IsFalse(entries.Contains("lib/custom/bin/leftover.dll"), "bin is in .funcignore");
    }

    [TestMethod]
    public void The_same_files_give_the_same_package_bytes()
    {
        using var fixture = new DefectFixture().WithBuiltCustomCode();
        using var sap = FakeBuildOutput.SapNcoFolder();
        var project = LogicAppProject.Locate(fixture.Root);
        var first = Path.Combine(fixture.Root, "first.zip");
        var second = Path.Combine(fixture.Root, "second.zip");
        Assert.IsTrue(PackageCommand.Build(project, first, new PackageOptions(SapNcoFolder: sap.Path)).Written);
        Assert.IsTrue(PackageCommand.Build(project, second, new PackageOptions(SapNcoFolder: sap.Path)).Written);
        CollectionAssert.AreEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }
}
