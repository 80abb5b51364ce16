using System.IO.Compression;
using Cli;
using Cli.Commands;
using OrderEvents.CustomCode.Functions;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Packaging;

/// <summary>
/// Tiny stand-ins for what only a real build or SAP provides: the custom-code host's build output (which needs
/// Microsoft's Logic Apps SDK) and the SAP NCo 3.1 libraries (SAP's, not redistributable). Dummy bytes, never the
/// real files: the packaging only places them, and the checks only look for them.
/// </summary>
internal static class FakeBuildOutput
{
    public const string AssemblyPath = "lib/custom/net8/OrderEvents.Functions.dll";
    public static readonly string[] SapLibraries = ["rscp4n.dll", "sapnco.dll", "sapnco_utils.dll"];

    /// <summary>One <c>lib/custom/&lt;Function&gt;/function.json</c> per function of the custom-code catalog, and a dummy assembly.</summary>
    public static DefectFixture WithBuiltCustomCode(this DefectFixture fixture)
    {
        fixture.WriteText(AssemblyPath, "stands in for the built assembly");
        foreach (var function in FunctionCatalog.All)
        {
            fixture.WriteText($"lib/custom/{function.Name}/function.json",
                $$"""{ "name": "{{function.Name}}", "scriptFile": "OrderEvents.Functions.dll", "language": "net8" }""");
        }
        return fixture;
    }

    /// <summary>A folder outside the repository holding dummy SAP NCo libraries (all, or the ones named).</summary>
    public static TemporaryFolder SapNcoFolder(params string[] only)
    {
        var folder = new TemporaryFolder("sapnco");
        foreach (var library in only.Length > 0 ? only : SapLibraries) File.WriteAllText(Path.Combine(folder.Path, library), "stands in for " + library);
        return folder;
    }

    /// <summary>Runs the package verb the way a user does; returns its exit code and the zip's entries (empty when none was written).</summary>
    public static (int ExitCode, IReadOnlyList<string> Entries) Package(string repository, params string[] options)
    {
        using var output = new TemporaryFolder("package");
        var zip = System.IO.Path.Combine(output.Path, "logicapp.zip");
        var exitCode = PackageCommand.RunAsync(new CliArgs(["--repo", repository, "--output", zip, .. options])).GetAwaiter().GetResult();
        if (!File.Exists(zip)) return (exitCode, []);
        using var archive = ZipFile.OpenRead(zip);
        return (exitCode, archive.Entries.Select(e => e.FullName).ToArray());
    }
}
