using Cli.Commands;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

[TestClass]
public sealed class When_the_designer_verb_runs_every_workflow_is_linked_into_the_app_folder
{
    private static string NewOutput() => Path.Combine(Path.GetTempPath(), "designer-" + Guid.NewGuid().ToString("N"), "logicapp");

    [TestMethod]
    public void Each_workflow_folder_is_a_link_to_workflows_so_designer_edits_land_in_the_repository()
    {
        var project = LogicAppProject.Locate(RepositoryRoot.FullPath);
        var output = NewOutput();
        try
        {
            DesignerCommand.Build(project, output);
            foreach (var name in project.WorkflowNames())
            {
                var link = new DirectoryInfo(Path.Combine(output, name));
                Assert.IsNotNull(link.LinkTarget, $"{name} is not a link");
                Assert.AreEqual(Path.Combine(project.WorkflowsDirectory, name), link.ResolveLinkTarget(returnFinalTarget: true)!.FullName);
                Assert.IsTrue(File.Exists(Path.Combine(output, name, "workflow.json")));
            }
            foreach (var file in LogicAppProject.AppRootFiles)
                Assert.AreEqual(project.PathOf(file), new FileInfo(Path.Combine(output, file)).ResolveLinkTarget(true)!.FullName);
        }
        finally { Directory.Delete(Path.GetDirectoryName(output)!, recursive: true); }
    }

    [TestMethod]
    public void The_app_folder_gets_local_settings_from_the_template_and_a_design_time_host()
    {
        var project = LogicAppProject.Locate(RepositoryRoot.FullPath);
        var output = NewOutput();
        try
        {
            DesignerCommand.Build(project, output);
            var settings = JObject.Parse(File.ReadAllText(Path.Combine(output, "local.settings.json")));
            Assert.AreEqual(output, (string?)settings["Values"]!["ProjectDirectoryPath"]);
            Assert.AreEqual("UseDevelopmentStorage=true", (string?)settings["Values"]!["AzureWebJobsStorage"]);
            Assert.IsNull(new FileInfo(Path.Combine(output, "local.settings.json")).LinkTarget, "local.settings.json must be a real file, never the repository's");
            var designTimeHost = JObject.Parse(File.ReadAllText(Path.Combine(output, "workflow-designtime", "host.json")));
            Assert.AreEqual("true", (string?)designTimeHost.SelectToken("extensions.workflow.settings['Runtime.WorkflowOperationDiscoveryHostMode']"));
        }
        finally { Directory.Delete(Path.GetDirectoryName(output)!, recursive: true); }
    }

    [TestMethod]
    public void A_workflow_created_in_the_designer_is_moved_into_workflows_and_linked()
    {
        using var fixture = new DefectFixture();
        var project = LogicAppProject.Locate(fixture.Root);
        var output = Path.Combine(fixture.Root, ".build", "logicapp");
        DesignerCommand.Build(project, output);
        Directory.CreateDirectory(Path.Combine(output, "NewFlow"));
        File.WriteAllText(Path.Combine(output, "NewFlow", "workflow.json"), "{}");

        DesignerCommand.Build(project, output);

        Assert.IsTrue(File.Exists(Path.Combine(fixture.Root, "workflows", "NewFlow", "workflow.json")));
        Assert.IsNotNull(new DirectoryInfo(Path.Combine(output, "NewFlow")).LinkTarget);
    }

    [TestMethod]
    public void A_developers_local_settings_are_kept_and_completed_with_new_keys()
    {
        using var fixture = new DefectFixture();
        var project = LogicAppProject.Locate(fixture.Root);
        var output = Path.Combine(fixture.Root, ".build", "logicapp");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "local.settings.json"), "{\"Values\": {\"Warehouse_BaseUrl\": \"http://localhost:9999\"}}");

        DesignerCommand.Build(project, output);

        var values = (JObject)JObject.Parse(File.ReadAllText(Path.Combine(output, "local.settings.json")))["Values"]!;
        Assert.AreEqual("http://localhost:9999", (string?)values["Warehouse_BaseUrl"]);
        Assert.AreEqual("orders", (string?)values["Orders_TopicName"]);
    }

    [TestMethod]
    public void An_app_folder_of_another_app_is_refused_before_any_of_its_workflows_is_moved()
    {
        using var fixture = new DefectFixture();
        var project = LogicAppProject.Locate(fixture.Root);
        var output = Path.Combine(fixture.Root, "another-app");
        Directory.CreateDirectory(Path.Combine(output, "TheirFlow"));
        File.WriteAllText(Path.Combine(output, "TheirFlow", "workflow.json"), "{}");
        File.WriteAllText(Path.Combine(output, "host.json"), "{}");

        var refused = Assert.ThrowsExactly<Cli.CliUsageException>(() => DesignerCommand.Build(project, output));

        StringAssert.Contains(refused.Message, "host.json' is a real file, not a link into the repository");
        Assert.IsTrue(File.Exists(Path.Combine(output, "TheirFlow", "workflow.json")), "their workflow stays where it was");
        Assert.IsFalse(Directory.Exists(Path.Combine(fixture.Root, "workflows", "TheirFlow")));
    }

    [TestMethod]
    public void A_local_settings_file_that_is_not_JSON_is_refused_before_anything_is_linked()
    {
        using var fixture = new DefectFixture();
        var project = LogicAppProject.Locate(fixture.Root);
        var output = Path.Combine(fixture.Root, ".build", "logicapp");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "local.settings.json"), "{ \"Values\": ");

        var refused = Assert.ThrowsExactly<Cli.CliUsageException>(() => DesignerCommand.Build(project, output));

        StringAssert.Contains(refused.Message, "local.settings.json' is not a JSON object");
        CollectionAssert.AreEqual(new[] { "local.settings.json" }, Directory.GetFileSystemEntries(output).Select(Path.GetFileName).ToArray());
    }
}
