using Cli;
using Cli.Commands;
using Cli.Preflight;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Packaging;

/// <summary>
/// The zip is written beside its name and moved onto it once whole: a write that fails half-way (a file gone, a full
/// disk) or is stopped leaves the previous package as it was, never a truncated zip under the package's name.
/// </summary>
[TestClass]
public sealed class When_a_package_cannot_be_written_whole_the_previous_one_stays
{
    [TestMethod]
    public void A_file_that_cannot_be_read_half_way_leaves_the_previous_package_and_no_partial_one()
    {
        using var fixture = new DefectFixture();
        using var output = new TemporaryFolder("package");
        var zip = Path.Combine(output.Path, "logicapp.zip");
        File.WriteAllText(zip, "the previous package");
        var content = AppContent.FromWorkingTree(LogicAppProject.Locate(fixture.Root),
            new Dictionary<string, string> { ["lib/sap/sapnco.dll"] = Path.Combine(output.Path, "gone-before-it-was-read.dll") });

        Assert.ThrowsExactly<FileNotFoundException>(() => content.WriteZip(zip));

        Assert.AreEqual("the previous package", File.ReadAllText(zip));
        CollectionAssert.AreEqual(new[] { "logicapp.zip" }, Directory.GetFiles(output.Path).Select(Path.GetFileName).ToArray());
    }
}
