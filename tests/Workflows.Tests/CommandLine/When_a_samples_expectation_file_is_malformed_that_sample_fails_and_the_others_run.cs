using Cli.Commands;

namespace Workflows.Tests.CommandLine;

/// <summary>
/// <c>samples</c> reads each invalid sample's <c>.expected.json</c>; one that is not JSON, or not of its shape, fails
/// that sample with a line naming the file and the shape, and the verb goes on (it stopped with a stack trace).
/// </summary>
[TestClass]
public sealed class When_a_samples_expectation_file_is_malformed_that_sample_fails_and_the_others_run
{
    private string root = "";

    [TestInitialize]
    public void Create()
    {
        root = Directory.CreateTempSubdirectory("samples-root-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "Artifacts", "Samples", "valid"));
        var invalid = Directory.CreateDirectory(Path.Combine(root, "Artifacts", "Samples", "invalid")).FullName;
        File.WriteAllText(Path.Combine(invalid, "not-json.json"), "{}");
        File.WriteAllText(Path.Combine(invalid, "not-json.expected.json"), "garbage");
        File.WriteAllText(Path.Combine(invalid, "no-errors.json"), "{}");
        File.WriteAllText(Path.Combine(invalid, "no-errors.expected.json"), "[1]");
    }

    [TestCleanup]
    public void Remove() => Directory.Delete(root, recursive: true);

    [TestMethod]
    public async Task Each_such_sample_fails_with_a_line_naming_its_file_and_the_verb_exits_1()
    {
        using var output = new StringWriter();

        var code = await SamplesCommand.RunAsync(new Cli.CliArgs(["--root", root]), output);

        Assert.AreEqual(1, code);
        var report = output.ToString();
        StringAssert.Contains(report, "FAIL invalid/not-json");
        StringAssert.Contains(report, "not-json.expected.json is not JSON");
        StringAssert.Contains(report, "no-errors.expected.json holds no \"errors\" array of objects");
    }
}
