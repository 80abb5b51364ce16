using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>runAfter may only name actions of the same container, with the four documented statuses (https://learn.microsoft.com/azure/logic-apps/logic-apps-exception-handling#manage-the-run-after-behavior).</summary>
internal static class RunAfterSiblings
{
    private static readonly HashSet<string> Statuses = ["Succeeded", "Failed", "Skipped", "TimedOut"];

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            foreach (var action in WorkflowWalker.Operations(name, workflow).Where(o => !o.IsTrigger))
            {
                foreach (var predecessor in (action.Body["runAfter"] as JObject ?? new JObject()).Properties())
                {
                    if (!action.Siblings.Contains(predecessor.Name) || predecessor.Name == action.Name)
                        problems.Add($"{name}: {action.Path} runs after '{predecessor.Name}', which is not a sibling in the same container.");
                    var statuses = predecessor.Value as JArray;
                    if (statuses is null || statuses.Count == 0 || statuses.Any(s => !Statuses.Contains((string?)s ?? "")))
                        problems.Add($"{name}: {action.Path} runAfter '{predecessor.Name}' must list statuses from {string.Join(", ", Statuses)}.");
                }
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_an_action_runs_after_another_it_names_a_sibling_with_documented_statuses
{
    [TestMethod]
    public void Every_runAfter_in_every_workflow_names_a_sibling_with_documented_statuses() =>
        Problems.AssertNone(RunAfterSiblings.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_runAfter_naming_an_action_of_another_container_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive",
            w => w.SelectToken("definition.actions.Classify_outcome.runAfter")!.Replace(new JObject { ["Write_order_to_lake"] = new JArray("Succeeded") }));
        Problems.AssertReported(RunAfterSiblings.Find(fixture.Files), "runs after 'Write_order_to_lake'");
    }

    [TestMethod]
    public void A_misspelled_status_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => w.SelectToken("definition.actions.Decide_settlement.runAfter")!.Replace(new JObject { ["Classify_outcome"] = new JArray("Success") }));
        Problems.AssertReported(RunAfterSiblings.Find(fixture.Files), "must list statuses");
    }
}
