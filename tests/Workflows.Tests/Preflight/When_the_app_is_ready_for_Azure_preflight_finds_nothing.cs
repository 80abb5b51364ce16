using System.IO.Compression;
using Cli;
using Cli.Commands;

namespace Workflows.Tests.Preflight;

/// <summary>The baseline every other preflight test departs from by one defect, on the working tree and on the zip.</summary>
[TestClass]
public sealed class When_the_app_is_ready_for_Azure_preflight_finds_nothing
{
    [TestMethod]
    public void The_working_tree_has_no_problem()
    {
        using var fixture = new PreflightFixture();
        PreflightAssert.None(fixture.Problems());
    }

    [TestMethod]
    public void The_verb_exits_0_on_the_package_it_builds()
    {
        using var fixture = new PreflightFixture();
        var zip = Path.Combine(fixture.Root, ".build/logicapp.zip");
        Assert.AreEqual(0, PackageCommand.RunAsync(new CliArgs(["--repo", fixture.Root, "--output", zip])).GetAwaiter().GetResult());
        Assert.AreEqual(0, PreflightCommand.RunAsync(new CliArgs(["--repo", fixture.Root, "--package", zip])).GetAwaiter().GetResult());
    }

    [TestMethod]
    public void The_verb_exits_1_on_a_package_with_a_problem()
    {
        using var fixture = new PreflightFixture();
        var zip = Path.Combine(fixture.Root, ".build/logicapp.zip");
        Assert.AreEqual(0, PackageCommand.RunAsync(new CliArgs(["--repo", fixture.Root, "--output", zip])).GetAwaiter().GetResult());
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update)) archive.GetEntry("lib/builtinOperationSdks/net472/sapnco.dll")!.Delete();
        Assert.AreEqual(1, PreflightCommand.RunAsync(new CliArgs(["--repo", fixture.Root, "--package", zip])).GetAwaiter().GetResult());
    }
}
