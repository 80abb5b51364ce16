using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// Every <c>body('X')</c>, <c>outputs('X')</c>, <c>actions('X')</c> and <c>result('X')</c> names an action of the same
/// workflow, and action names are unique across the whole workflow (Logic Apps requires it: expressions reach any
/// action by name, whatever its container).
/// </summary>
internal static class ActionReferences
{
    private static readonly HashSet<string> ReferenceFunctions = new(StringComparer.OrdinalIgnoreCase) { "body", "outputs", "actions", "result" };

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            var actions = WorkflowWalker.Operations(name, workflow).Where(o => !o.IsTrigger).ToArray();
            foreach (var duplicate in actions.GroupBy(a => a.Name).Where(g => g.Count() > 1))
                problems.Add($"{name}: the action name '{duplicate.Key}' is used {duplicate.Count()} times ({string.Join(", ", duplicate.Select(d => d.Path))}).");
            var names = actions.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (path, value) in WorkflowWalker.Strings(workflow).Where(s => WdlTemplate.IsTemplate(s.Value)))
            {
                IReadOnlyList<WdlExpression> expressions;
                try { expressions = WdlTemplate.ParseAll(new JValue(value)); }
                catch (WdlParseException) { continue; } // reported by When_the_workflows_are_read_every_expression_parses
                foreach (var (function, argument) in expressions.SelectMany(e => e.Calls))
                {
                    if (!ReferenceFunctions.Contains(function) || argument?.Type != JTokenType.String) continue;
                    if (!names.Contains((string)argument!)) problems.Add($"{name}: {path} refers to {function}('{argument}'), which is not an action of {name}.");
                }
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_an_expression_reads_an_action_the_workflow_has_that_action
{
    [TestMethod]
    public void Every_body_outputs_actions_and_result_reference_names_an_existing_action() =>
        Problems.AssertNone(ActionReferences.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_reference_to_a_misspelled_action_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("WarehouseInventory",
            w => w.SelectTokens("$..Call_the_warehouse_API.inputs.body").Single().Replace("@body('Map_to_warehouse')?['body']"));
        Problems.AssertReported(ActionReferences.Find(fixture.Files), "refers to body('Map_to_warehouse')");
    }

    [TestMethod]
    public void Two_actions_with_one_name_in_different_containers_are_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => ((JObject)w.SelectTokens("$..Should_an_SMS_be_sent.actions").Single())["Decide_settlement"] = new JObject { ["type"] = "Compose", ["inputs"] = "x", ["runAfter"] = new JObject() });
        Problems.AssertReported(ActionReferences.Find(fixture.Files), "the action name 'Decide_settlement' is used 2 times");
    }
}
