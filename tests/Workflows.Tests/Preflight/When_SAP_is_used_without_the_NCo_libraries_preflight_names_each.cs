using Cli.Preflight;

namespace Workflows.Tests.Preflight;

/// <summary>Learn, "Connect to SAP from workflows in Azure Logic Apps", Standard prerequisites: rscp4n.dll, sapnco.dll, sapnco_utils.dll in lib/builtinOperationSdks/net472.</summary>
[TestClass]
public sealed class When_SAP_is_used_without_the_NCo_libraries_preflight_names_each
{
    [TestMethod]
    [DataRow("rscp4n.dll")]
    [DataRow("sapnco.dll")]
    [DataRow("sapnco_utils.dll")]
    public void The_missing_library_is_reported(string library)
    {
        using var fixture = new PreflightFixture();
        File.Delete(Path.Combine(fixture.Root, "lib/builtinOperationSdks/net472", library));
        PreflightAssert.Single(fixture.Problems(), "lib/builtinOperationSdks/net472/" + library, "SapFulfillment call(s) the SAP built-in connector");
    }

    [TestMethod]
    public void An_environment_without_SAP_can_say_so()
    {
        using var fixture = new PreflightFixture();
        Directory.Delete(Path.Combine(fixture.Root, "lib/builtinOperationSdks"), recursive: true);
        Assert.AreEqual(3, fixture.Problems().Count);
        PreflightAssert.None(fixture.Problems(options: new PreflightOptions(AllowMissingSap: true)));
    }
}
