using System.IO.Compression;
using Cli.Commands;

namespace Workflows.Tests.StaticChecks;

[TestClass]
public sealed class The_package_verb_flattens_workflows_to_the_zip_root
{
    private static IReadOnlyList<string> PackageEntries(string repositoryRoot)
    {
        var zip = Path.Combine(Path.GetTempPath(), "package-" + Guid.NewGuid().ToString("N") + ".zip");
        try
        {
            PackageCommand.Build(LogicAppProject.Locate(repositoryRoot), zip);
            using var archive = ZipFile.OpenRead(zip);
            return archive.Entries.Select(e => e.FullName).ToArray();
        }
        finally { File.Delete(zip); }
    }

    [TestMethod]
    public void Host_connections_parameters_and_every_workflow_folder_sit_at_the_zip_root()
    {
        var entries = PackageEntries(RepositoryRoot.FullPath);
        foreach (var expected in new[] { "host.json", "connections.json", "parameters.json", "OrderIntake/workflow.json",
                                         "SapFulfillment/workflow.json", "SapFulfillment/classify_outcome.csx", "LakeArchiveDeadLetters/workflow.json" })
            CollectionAssert.Contains(entries.ToList(), expected);
        Assert.IsFalse(entries.Any(e => e.StartsWith("workflows/", StringComparison.Ordinal)), "workflows must be flattened");
        Assert.IsFalse(entries.Any(e => e.StartsWith("deploy/", StringComparison.Ordinal) || e.StartsWith("tools/", StringComparison.Ordinal)));
        Assert.IsFalse(entries.Any(e => e.StartsWith("Artifacts/Samples/", StringComparison.Ordinal)), "sample messages are not deployed (.funcignore)");
    }

    [TestMethod]
    public void Local_settings_and_funcignored_files_stay_out()
    {
        using var fixture = new DefectFixture()
            .WriteText("local.settings.json", "{}")
            .WriteText("workflows/OrderIntake/local.settings.json", "{}")
            .WriteText("lib/custom/.gitkeep", "")
            .WriteText("lib/custom/bin/leftover.dll", "x")
            .WriteText("lib/custom/net8/OrderEvents.Functions.dll", "x");
        var entries = PackageEntries(fixture.Root);
        Assert.IsFalse(entries.Any(e => e.EndsWith("local.settings.json", StringComparison.Ordinal)), string.Join(", ", entries));
        Assert.IsFalse(entries.Contains("lib/custom/.gitkeep"), ".git* is in .funcignore");
        Assert.IsFalse(entries.Contains("lib/custom/bin/leftover.dll"), "bin is in .funcignore");
        CollectionAssert.Contains(entries.ToList(), "lib/custom/net8/OrderEvents.Functions.dll");
    }

    [TestMethod]
    public void The_same_files_give_the_same_package_bytes()
    {
        var project = LogicAppProject.Locate(RepositoryRoot.FullPath);
        var first = Path.GetTempFileName();
        var second = Path.GetTempFileName();
        try
        {
            PackageCommand.Build(project, first);
            PackageCommand.Build(project, second);
            CollectionAssert.AreEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
        }
        finally { File.Delete(first); File.Delete(second); }
    }
}
