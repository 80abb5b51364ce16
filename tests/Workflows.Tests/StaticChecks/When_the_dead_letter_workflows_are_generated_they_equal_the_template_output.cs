using Cli.Commands;

namespace Workflows.Tests.StaticChecks;

[TestClass]
public sealed class When_the_dead_letter_workflows_are_generated_they_equal_the_template_output
{
    [TestMethod]
    public void One_alert_workflow_is_generated_per_forwarded_dead_letter_queue()
    {
        var generated = DeadLetterAlertWorkflows.Generate(LogicAppProject.Locate(RepositoryRoot.FullPath));
        CollectionAssert.AreEquivalent(
            new[] { "SapFulfillmentDeadLetters", "SmsNotificationDeadLetters", "WarehouseInventoryDeadLetters", "LakeArchiveDeadLetters" },
            generated.Select(g => g.Name).ToArray());
        Assert.IsTrue(generated.All(g => g.QueueName == "deadletters-" + g.Subscriber), string.Join(", ", generated.Select(g => g.QueueName)));
        Assert.IsFalse(generated.Any(g => g.Json.Contains("{{", StringComparison.Ordinal)), "a placeholder was left unreplaced");
    }

    [TestMethod]
    public void Every_committed_alert_workflow_equals_the_template_output() =>
        Problems.AssertNone(DeadLetterAlertWorkflows.FindStale(LogicAppProject.Locate(RepositoryRoot.FullPath)).Select(n => $"workflows/{n}/workflow.json differs from the template: edit {DeadLetterAlertWorkflows.TemplateFile} and run the designer verb").ToArray());

    [TestMethod]
    public void A_hand_edited_alert_workflow_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchiveDeadLetters", w => w["kind"] = "Stateless");
        CollectionAssert.AreEqual(new[] { "LakeArchiveDeadLetters" }, DeadLetterAlertWorkflows.FindStale(LogicAppProject.Locate(fixture.Root)).ToArray());
    }
}
