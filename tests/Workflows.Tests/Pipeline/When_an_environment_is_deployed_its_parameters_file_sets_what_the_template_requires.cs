using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;
using Workflows.Tests.Infrastructure.Bicep;

namespace Workflows.Tests.Pipeline;

/// <summary>
/// The release deploys main.bicep with deploy/infra/&lt;environment&gt;.parameters.json (the environment's non-secret
/// values, committed by the team from example.parameters.json) and a parameters file of the secrets. The template's
/// required parameters have no default, so a missing file or value would fail only in Azure, at what-if.
/// </summary>
[TestClass]
public sealed class When_an_environment_is_deployed_its_parameters_file_sets_what_the_template_requires
{
    private static JObject Template() => CompiledInfrastructure.MainTemplateJson();

    private static JObject Example() => RepositoryFiles.ReadJson("deploy/infra/example.parameters.json");

    [TestMethod]
    public void The_example_sets_every_value_the_template_requires_and_no_secret()
    {
        var problems = EnvironmentParameters.Problems(Template(), Example(), "example.parameters.json");

        Assert.IsEmpty(problems, string.Join("\n", problems));
        Assert.IsTrue(Example().SelectToken("parameters.owner") is not null, "owner has no default in main.bicep");
    }

    [TestMethod]
    public void Every_committed_environment_file_follows_the_same_rules()
    {
        var files = Directory.EnumerateFiles(RepositoryRoot.PathOf("deploy/infra"), "*.parameters.json").Order().ToList();
        var problems = files.SelectMany(f => EnvironmentParameters.Problems(Template(), JObject.Parse(File.ReadAllText(f)), Path.GetFileName(f))).ToList();

        Assert.IsNotEmpty(files);
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void A_file_with_a_secret_a_missing_value_or_an_unknown_parameter_is_reported()
    {
        var file = (JObject)Example().DeepClone();
        var parameters = (JObject)file["parameters"]!;
        parameters.Remove("owner");
        parameters["sapPassword"] = new JObject { ["value"] = "not-in-a-file" };
        parameters["ownerEmail"] = new JObject { ["value"] = "x" };

        var problems = EnvironmentParameters.Problems(Template(), file, "dev.parameters.json");

        CollectionAssert.AreEquivalent(new[]
        {
            "dev.parameters.json: 'sapPassword' is secure: it comes from the environment's secrets, never from a committed file.",
            "dev.parameters.json: 'ownerEmail' is not a parameter of the template.",
            "dev.parameters.json: 'owner' is required by the template and not set.",
        }, problems.ToArray());
    }

    [TestMethod]
    public void Every_committed_environment_file_sets_its_own_business_settings_and_only_known_ones()
    {
        var files = Directory.EnumerateFiles(RepositoryRoot.PathOf("deploy/infra"), "*.parameters.json")
            .Where(f => Path.GetFileName(f) != EnvironmentParameters.ExampleFile).Order().ToList();
        var problems = files.SelectMany(f =>
        {
            var file = JObject.Parse(File.ReadAllText(f));
            return EnvironmentParameters.PlaceholderProblems(Example(), file, Path.GetFileName(f))
                .Concat(EnvironmentParameters.UnknownSettings(Template(), file, Path.GetFileName(f), "workflowSettings", "defaultWorkflowSettings"));
        }).ToList();

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void An_environment_file_copied_from_the_example_and_left_as_it_is_is_reported()
    {
        var copy = (JObject)Example().DeepClone();
        ((JObject)copy.SelectToken("parameters.workflowSettings.value")!).Remove("Teams_ChannelId");
        copy.SelectToken("parameters.workflowSettings.value")!["Sms_Sender"] = "+15550100";

        var problems = EnvironmentParameters.PlaceholderProblems(Example(), copy, "dev.parameters.json")
            .Concat(EnvironmentParameters.UnknownSettings(Template(), copy, "dev.parameters.json", "workflowSettings", "defaultWorkflowSettings")).ToList();

        CollectionAssert.IsSubsetOf(new[]
        {
            "dev.parameters.json: owner is still the example's placeholder 'integration-team@contoso.com'.",
            "dev.parameters.json: workflowSettings.Warehouse_BaseUrl is still the example's placeholder 'https://warehouse.example.com'.",
            "dev.parameters.json: workflowSettings.Teams_ChannelId is not set: every environment has its own (the default is a placeholder).",
            "dev.parameters.json: workflowSettings.Sms_Sender is not a setting of defaultWorkflowSettings: no workflow reads it.",
        }, problems);
    }

    [TestMethod]
    public void An_environments_business_settings_are_merged_over_the_defaults()
    {
        var environment = JObject.Parse("""{ "parameters": { "workflowSettings": { "value": { "Warehouse_BaseUrl": "https://wms.contoso.test" } } } }""");

        var site = CompiledInfrastructure.MainTemplate(environment).ExpandResources().Single(r => r.Type == "Microsoft.Web/sites/config" && r.Name.EndsWith("/appsettings", StringComparison.Ordinal));

        Assert.AreEqual("https://wms.contoso.test", (string?)site.Json.SelectToken("properties.Warehouse_BaseUrl"));
        Assert.AreEqual("sap-fulfillment", (string?)site.Json.SelectToken("properties.Orders_SapFulfillmentSubscriptionName"), "a default the environment does not set stays");
    }

    [TestMethod]
    public void With_the_example_values_and_the_secrets_every_expression_of_the_template_evaluates()
    {
        var secrets = JObject.Parse("""{ "parameters": { "sapUserName": { "value": "u" }, "sapPassword": { "value": "p" } } }""");

        var resources = CompiledInfrastructure.MainTemplate(Example(), secrets).ExpandResources();

        Assert.Contains("integration-team@contoso.com", resources.Select(r => (string?)r.Json.SelectToken("tags.owner")).ToList());
    }

    [TestMethod]
    public void The_release_script_refuses_an_environment_without_its_file_before_calling_Azure()
    {
        var folder = Directory.CreateTempSubdirectory("deploy-infra-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "deploy/infra"));
            File.WriteAllText(Path.Combine(folder.FullName, "deploy/infra/main.bicep"), "");
            var start = new ProcessStartInfo("bash", [RepositoryRoot.PathOf(".github/scripts/deploy-infrastructure.sh"), "what-if"])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["RESOURCE_GROUP"] = "rg-orders-test";
            start.Environment["ENVIRONMENT_NAME"] = "test";
            start.Environment["PATH"] = "/usr/bin:/bin"; // no az: the refusal must come first
            using var script = Process.Start(start)!;
            var errors = script.StandardError.ReadToEnd();
            script.WaitForExit();

            Assert.AreEqual(2, script.ExitCode, errors);
            StringAssert.Contains(errors, "deploy/infra/test.parameters.json does not exist: copy deploy/infra/example.parameters.json to it");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
