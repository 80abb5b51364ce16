using System.Diagnostics;
using System.Text.RegularExpressions;
using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Pipeline;

/// <summary>
/// CI runs the README's test command on ubuntu; the package action builds the custom-code host with Microsoft's SDK,
/// packages (with SAP NCo from the secure location in CD) and preflights the zip; the scripts match the app they
/// deploy and smoke test.
/// </summary>
[TestClass]
public sealed class When_the_pipeline_builds_it_tests_packages_and_preflights_with_Microsoft_s_tools
{
    private static readonly JObject Ci = GitHubWorkflows.Read(".github/workflows/ci.yml");
    private static readonly JObject Cd = GitHubWorkflows.Read(".github/workflows/cd.yml");
    private static readonly JObject Package = GitHubWorkflows.Read(".github/actions/package/action.yml");

    [TestMethod]
    public void CI_and_CD_test_on_ubuntu_with_the_README_command()
    {
        var readme = File.ReadAllText(RepositoryRoot.PathOf("README.md"));
        var command = Regex.Match(readme, @"^(bash tools/test\.sh)\b", RegexOptions.Multiline).Groups[1].Value;
        Assert.AreEqual("bash tools/test.sh", command, "the README names the test command");
        foreach (var (workflow, job) in new[] { (Ci, "test"), (Cd, "build") })
        {
            StringAssert.StartsWith((string?)workflow.SelectToken($"jobs.{job}.runs-on"), "ubuntu");
            Assert.IsTrue(GitHubWorkflows.Steps(workflow, job).Contains(command), $"{job} runs {command}");
        }
    }

    [TestMethod]
    public void The_package_action_builds_the_host_project_then_packages_then_preflights()
    {
        var steps = ((JArray)Package.SelectToken("runs.steps")!).OfType<JObject>().Select(s => (string?)s["run"] ?? "").ToArray();
        var build = Array.FindIndex(steps, s => s.Contains("dotnet build CustomCode/OrderEvents.Functions/OrderEvents.Functions.csproj", StringComparison.Ordinal));
        var package = Array.FindIndex(steps, s => s.Contains("-- package --output", StringComparison.Ordinal));
        var preflight = Array.FindIndex(steps, s => s.Contains("-- preflight", StringComparison.Ordinal) && s.Contains("--package", StringComparison.Ordinal));
        Assert.IsTrue(build >= 0 && build < package && package < preflight, string.Join("\n---\n", steps));
        Assert.IsTrue(File.Exists(RepositoryRoot.PathOf("CustomCode/OrderEvents.Functions/OrderEvents.Functions.csproj")));
    }

    [TestMethod]
    public void CD_packages_with_the_SAP_libraries_from_the_secure_location()
    {
        var steps = ((JArray)Cd.SelectToken("jobs.build.steps")!).OfType<JObject>().ToArray();
        var download = Array.FindIndex(steps, s => ((string?)s["run"] ?? "").Contains("az storage blob download-batch --auth-mode login", StringComparison.Ordinal));
        var package = Array.FindIndex(steps, s => (string?)s["uses"] == "./.github/actions/package");
        Assert.IsTrue(download >= 0 && download < package, "NCo is downloaded with the OIDC identity before packaging");
        StringAssert.Contains((string?)steps[package].SelectToken("with.sap-nco"), "sapnco");
    }

    [TestMethod]
    public void The_scripts_parse()
    {
        foreach (var script in Directory.EnumerateFiles(RepositoryRoot.PathOf(".github/scripts"), "*.sh"))
        {
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", script]) { RedirectStandardError = true })!;
            var errors = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.AreEqual(0, bash.ExitCode, $"{script}: {errors}");
        }
    }

    [TestMethod]
    public void The_smoke_test_names_the_intake_trigger_the_sample_and_the_four_subscribers()
    {
        var script = File.ReadAllText(RepositoryRoot.PathOf(".github/scripts/smoke-test.sh"));
        string Value(string name) => Regex.Match(script, $@"^{name}=""(?<v>[^""]+)""", RegexOptions.Multiline).Groups["v"].Value;
        var intake = JObject.Parse(File.ReadAllText(RepositoryRoot.PathOf($"workflows/{Value("intake_workflow")}/workflow.json")));
        Assert.AreEqual("Request", (string?)intake.SelectToken($"definition.triggers.{Value("intake_trigger")}.type"));
        Assert.IsTrue(File.Exists(RepositoryRoot.PathOf(Value("sample"))), Value("sample"));

        var subscribers = Regex.Match(script, @"^subscribers=\((?<v>[^)]*)\)", RegexOptions.Multiline).Groups["v"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The subscribers are the workflows triggered from a subscription of the orders topic.
        var fromTopic = Directory.GetDirectories(RepositoryRoot.PathOf("workflows"))
            .Where(d => JObject.Parse(File.ReadAllText(Path.Combine(d, "workflow.json"))).SelectToken("definition.triggers")!
                .SelectTokens("$..inputs.parameters.topicName").Any())
            .Select(Path.GetFileName)
            .ToArray();
        CollectionAssert.AreEquivalent(fromTopic, subscribers);
        Assert.AreEqual(4, subscribers.Length);
    }

    [TestMethod]
    public void The_deployment_script_deploys_the_entry_point_preflight_reads_with_parameters_it_declares()
    {
        var script = File.ReadAllText(RepositoryRoot.PathOf(".github/scripts/deploy-infrastructure.sh"));
        var template = Regex.Match(script, @"TEMPLATE_FILE:=(?<v>[^}]+)\}").Groups["v"].Value;
        Assert.AreEqual(IacTemplate.BicepEntryPoint, template, "the entry point preflight reads");
        Assert.IsTrue(File.Exists(RepositoryRoot.PathOf(template)), template);

        var passed = Regex.Matches(script, @"\{(?<name>[a-zA-Z]+): \{value:").Select(m => m.Groups["name"].Value).ToArray();
        Assert.IsTrue(passed.Length >= 5, string.Join(", ", passed));
        var bicep = File.ReadAllText(RepositoryRoot.PathOf(template));
        foreach (var name in passed) StringAssert.Matches(bicep, new Regex($@"^param {name}\b", RegexOptions.Multiline), $"{template} declares no param '{name}'");
    }
}
