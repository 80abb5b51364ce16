using System.Diagnostics;

namespace Workflows.Tests.Packaging;

/// <summary>SAP NCo is SAP's and not redistributable: git ignores it wherever a developer drops it.</summary>
[TestClass]
public sealed class When_SAP_client_libraries_are_dropped_in_the_repository_git_ignores_them
{
    [TestMethod]
    [DataRow("lib/builtinOperationSdks/net472/sapnco.dll")]
    [DataRow("lib/builtinOperationSdks/net472/sapnco_utils.dll")]
    [DataRow("lib/builtinOperationSdks/net472/rscp4n.dll")]
    [DataRow("sapnco/sapnco.dll")]
    [DataRow("rscp4n.dll")]
    public void Git_ignores_the_library(string path) =>
        Assert.AreEqual(0, GitCheckIgnore(path), $"{path} must be ignored by .gitignore");

    [TestMethod]
    public void Git_still_sees_ordinary_files_beside_them() =>
        Assert.AreEqual(1, GitCheckIgnore("lib/custom.md"), "the check must be able to say 'not ignored'");

    private static int GitCheckIgnore(string path)
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["check-ignore", "--no-index", "-q", path])
        {
            WorkingDirectory = RepositoryRoot.FullPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        git.WaitForExit();
        return git.ExitCode;
    }
}
