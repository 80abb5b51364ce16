namespace Workflows.Tests.Pipeline;

/// <summary>Every workflow and composite action under .github passes @action-validator/cli (the GitHub Actions JSON schemas).</summary>
[TestClass]
public sealed class When_the_GitHub_workflows_are_validated_the_Actions_schema_accepts_them
{
    [TestMethod]
    public void Every_workflow_and_action_validates()
    {
        var files = GitHubWorkflows.AllFiles();
        Assert.IsTrue(files.Count >= 4, "ci.yml, cd.yml, deploy-stage.yml and the package action");
        foreach (var file in files)
        {
            var (exitCode, output) = GitHubWorkflows.Validate(file);
            Assert.AreEqual(0, exitCode, $"{Path.GetRelativePath(RepositoryRoot.FullPath, file)}:\n{output}");
        }
    }

    [TestMethod]
    public void A_workflow_with_an_unknown_key_is_rejected()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"ci-{Guid.NewGuid():N}.yml");
        try
        {
            File.WriteAllText(broken, File.ReadAllText(RepositoryRoot.PathOf(".github/workflows/ci.yml"))
                .Replace("    runs-on: ubuntu-latest", "    runs-on: ubuntu-latest\n    run-on: ubuntu-latest"));
            var (exitCode, output) = GitHubWorkflows.Validate(broken);
            Assert.AreEqual(1, exitCode);
            StringAssert.Contains(output, "Additional property 'run-on' is not allowed");
        }
        finally { File.Delete(broken); }
    }
}
