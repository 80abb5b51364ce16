using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>What the designer and the runtime need to open a workflow.json (https://learn.microsoft.com/azure/logic-apps/logic-apps-workflow-definition-language).</summary>
internal static class WorkflowShape
{
    public const string Schema = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            if ((string?)workflow["kind"] != "Stateful") problems.Add($"{name}: kind must be \"Stateful\" (run history, resubmit), is {workflow["kind"]?.ToString() ?? "missing"}.");
            if (workflow["definition"] is not JObject definition) { problems.Add($"{name}: no definition object."); continue; }
            if ((string?)definition["$schema"] != Schema) problems.Add($"{name}: definition.$schema must be {Schema}.");
            if ((string?)definition["contentVersion"] != "1.0.0.0") problems.Add($"{name}: definition.contentVersion must be \"1.0.0.0\".");
            foreach (var part in new[] { "triggers", "actions", "outputs" })
            {
                if (definition[part] is not JObject) problems.Add($"{name}: definition.{part} must be an object.");
            }
            if ((definition["triggers"] as JObject)?.Count != 1) problems.Add($"{name}: a Standard workflow has exactly one trigger.");
            foreach (var operation in WorkflowWalker.Operations(name, workflow))
            {
                if (operation.Type.Length == 0) problems.Add($"{name}: {operation.Path} has no type.");
                if (!operation.IsTrigger && operation.Body["runAfter"] is not JObject) problems.Add($"{name}: {operation.Path} has no runAfter object.");
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_the_designer_opens_a_workflow_it_has_the_WDL_shape
{
    [TestMethod]
    public void Every_committed_workflow_has_schema_content_version_triggers_actions_outputs_and_kind() =>
        Problems.AssertNone(WorkflowShape.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_workflow_without_contentVersion_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive", w => ((JObject)w["definition"]!).Remove("contentVersion"));
        Problems.AssertReported(WorkflowShape.Find(fixture.Files), "LakeArchive: definition.contentVersion");
    }

    [TestMethod]
    public void A_stateless_workflow_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("OrderIntake", w => w["kind"] = "Stateless");
        Problems.AssertReported(WorkflowShape.Find(fixture.Files), "OrderIntake: kind must be");
    }
}
