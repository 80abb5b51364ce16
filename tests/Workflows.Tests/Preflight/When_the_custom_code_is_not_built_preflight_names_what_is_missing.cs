using Cli.Preflight;

namespace Workflows.Tests.Preflight;

[TestClass]
public sealed class When_the_custom_code_is_not_built_preflight_names_what_is_missing
{
    [TestMethod]
    public void A_missing_function_json_is_reported_with_its_callers()
    {
        using var fixture = new PreflightFixture();
        File.Delete(Path.Combine(fixture.Root, "lib/custom/PrepareSms/function.json"));
        PreflightAssert.Single(fixture.Problems(), "lib/custom/PrepareSms/function.json", "is missing: SmsNotification call(s) the custom-code function 'PrepareSms'");
    }

    [TestMethod]
    public void Missing_assemblies_are_reported()
    {
        using var fixture = new PreflightFixture();
        Directory.Delete(Path.Combine(fixture.Root, "lib/custom/net8"), recursive: true);
        var problems = fixture.Problems();
        Assert.IsTrue(problems.Any(p => p.File == "lib/custom/net8" && p.Problem.StartsWith("holds no assembly", StringComparison.Ordinal)), string.Join("\n", problems));
    }

    [TestMethod]
    public void A_function_json_naming_an_assembly_that_is_not_there_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.WriteText("lib/custom/DecideSettlement/function.json", """{ "name": "DecideSettlement", "scriptFile": "Renamed.Functions.dll" }""");
        PreflightAssert.Single(fixture.Problems(), "lib/custom/DecideSettlement/function.json", "names the assembly 'Renamed.Functions.dll'");
    }

    [TestMethod]
    public void An_environment_without_custom_code_can_say_so()
    {
        using var fixture = new PreflightFixture();
        Directory.Delete(Path.Combine(fixture.Root, "lib/custom"), recursive: true);
        Assert.IsTrue(fixture.Problems().Count > 0);
        PreflightAssert.None(fixture.Problems(options: new PreflightOptions(AllowMissingCustomCode: true)));
    }
}
