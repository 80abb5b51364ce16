using Workflows.Tests.Support;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// The runtime settings a custom-code workspace of the Logic Apps VS Code extension writes to local.settings.json
/// (Azure/LogicAppsUX: FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_INPROC_NET8_ENABLED, APP_KIND and, for custom code,
/// AzureWebJobsFeatureFlags=EnableMultiLanguageWorker) are deployed too, so Azure runs the .NET 8 custom-code worker
/// the way the designer does locally.
/// </summary>
[TestClass]
public sealed class When_the_Logic_App_starts_in_Azure_it_runs_the_custom_code_worker_as_the_designer_does
{
    private static readonly string[] RuntimeSettings = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_INPROC_NET8_ENABLED", "APP_KIND", "AzureWebJobsFeatureFlags"];

    [TestMethod]
    public void The_runtime_settings_of_the_local_template_are_deployed_with_the_same_values()
    {
        var local = Project.AppSettings();
        var deployed = AppSettings.Evaluated(RepositoryFiles.MainTemplate());

        foreach (var name in RuntimeSettings)
        {
            Assert.IsTrue(local.ContainsKey(name), $"local.settings.template.json sets {name}");
            Assert.AreEqual(local[name], (string?)deployed[name], ignoreCase: true, $"{name}: the IaC deploys what local.settings.template.json sets");
        }
        StringAssert.Contains((string?)deployed["AzureWebJobsFeatureFlags"], "EnableMultiLanguageWorker");
    }
}
