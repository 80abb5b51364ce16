using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Pipeline;

/// <summary>
/// cd.yml: build once, then dev → test → prod, each stage a job in its own GitHub environment (whose required
/// reviewers are the approvals between stages), every Azure login by OIDC federated credentials.
/// </summary>
[TestClass]
public sealed class When_main_is_released_each_environment_is_an_approved_stage
{
    private static readonly JObject Cd = GitHubWorkflows.Read(".github/workflows/cd.yml");
    private static readonly JObject Stage = GitHubWorkflows.Read(".github/workflows/deploy-stage.yml");

    [TestMethod]
    public void The_stages_run_in_order_after_the_build()
    {
        var chain = new[] { ("dev", "build"), ("test", "dev"), ("prod", "test") };
        foreach (var (job, previous) in chain)
        {
            Assert.AreEqual(previous, (string?)Cd.SelectToken($"jobs.{job}.needs"), $"{job} needs {previous}");
            Assert.AreEqual("./.github/workflows/deploy-stage.yml", (string?)Cd.SelectToken($"jobs.{job}.uses"));
            Assert.AreEqual(job, (string?)Cd.SelectToken($"jobs.{job}.with.environment"));
        }
    }

    [TestMethod]
    public void Each_stage_runs_in_the_environment_it_deploys() =>
        Assert.AreEqual("${{ inputs.environment }}", (string?)Stage.SelectToken("jobs.deploy.environment"));

    [TestMethod]
    public void Azure_logins_use_OIDC_and_no_stored_credential()
    {
        foreach (var file in GitHubWorkflows.AllFiles())
        {
            var text = File.ReadAllText(file);
            Assert.IsFalse(text.Contains("client-secret", StringComparison.OrdinalIgnoreCase) || text.Contains("creds:", StringComparison.Ordinal) ||
                           text.Contains("AZURE_CREDENTIALS", StringComparison.Ordinal), $"{file}: log in with OIDC federated credentials only");
        }
        foreach (var (workflow, job) in new[] { (Cd, "build"), (Stage, "deploy") })
        {
            var logins = ((JArray)workflow.SelectToken($"jobs.{job}.steps")!).OfType<JObject>().Where(s => ((string?)s["uses"] ?? "").StartsWith("azure/login@", StringComparison.Ordinal)).ToList();
            Assert.IsNotEmpty(logins, $"{job} logs in to Azure");
            foreach (var login in logins)
            {
                Assert.IsNotNull(login.SelectToken("with.client-id"));
                Assert.IsNotNull(login.SelectToken("with.tenant-id"));
            }
            Assert.AreEqual("write", (string?)workflow.SelectToken($"jobs.{job}.permissions.id-token") ?? (string?)workflow.SelectToken("permissions.id-token"),
                $"{job} needs id-token: write to request the OIDC token");
        }
        foreach (var stage in new[] { "dev", "test", "prod" })
            Assert.AreEqual("write", (string?)Cd.SelectToken($"jobs.{stage}.permissions.id-token"), $"the caller grants id-token: write to the {stage} stage");
    }

    [TestMethod]
    public void A_stage_checks_the_infrastructure_before_it_deploys_then_smoke_tests()
    {
        var steps = GitHubWorkflows.Steps(Stage, "deploy");
        int IndexOf(string fragment)
        {
            var index = steps.ToList().FindIndex(s => s.Contains(fragment, StringComparison.Ordinal));
            Assert.IsTrue(index >= 0, $"no step runs '{fragment}':\n{string.Join("\n", steps)}");
            return index;
        }
        var whatIf = IndexOf("deploy-infrastructure.sh what-if");
        var create = IndexOf("deploy-infrastructure.sh create");
        var zipDeploy = IndexOf("az logicapp deployment source config-zip");
        var smoke = IndexOf("smoke-test.sh");
        Assert.IsTrue(whatIf < create && create < zipDeploy && zipDeploy < smoke, string.Join("\n", steps));
        StringAssert.StartsWith(steps[smoke - 1], "uses: azure/login@", "a fresh login right before the smoke test: the first one's OIDC token has expired by then");
        var script = File.ReadAllText(RepositoryRoot.PathOf(".github/scripts/deploy-infrastructure.sh"));
        StringAssert.Contains(script, "az deployment group what-if");
        StringAssert.Contains(script, "az deployment group create");
    }

    [TestMethod]
    public void The_package_is_built_once_and_every_stage_deploys_that_one()
    {
        var upload = ((JArray)Cd.SelectToken("jobs.build.steps")!).OfType<JObject>().Single(s => ((string?)s["uses"] ?? "").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        var download = ((JArray)Stage.SelectToken("jobs.deploy.steps")!).OfType<JObject>().Single(s => ((string?)s["uses"] ?? "").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        Assert.AreEqual((string?)upload.SelectToken("with.name"), (string?)download.SelectToken("with.name"));
    }
}
