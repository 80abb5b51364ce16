using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// Every template string (<c>@expr</c>, <c>@{...}</c>) in the workflows, connections.json and parameters.json parses
/// with the local runtime's WDL parser (syntax, known functions, argument counts), so a typo fails here rather than
/// in the designer or at run time.
/// </summary>
internal static class ExpressionSyntax
{
    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        var documents = files.Workflows.Select(w => (w.Key, (JToken)w.Value))
            .Append(("connections.json", files.Connections))
            .Append(("parameters.json", files.Parameters));
        foreach (var (where, document) in documents)
        {
            foreach (var (path, value) in WorkflowWalker.Strings(document).Where(s => WdlTemplate.IsTemplate(s.Value)))
            {
                try { WdlTemplate.ParseAll(new JValue(value)); }
                catch (WdlParseException ex) { problems.Add($"{where}: {path}: {ex.Message}"); }
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_the_workflows_are_read_every_expression_parses
{
    [TestMethod]
    public void Every_expression_in_the_workflows_and_configuration_parses() =>
        Problems.AssertNone(ExpressionSyntax.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void An_unbalanced_expression_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("OrderIntake",
            w => w.SelectToken("definition.actions.Prepare_to_publish.inputs.parameters.runName")!.Replace("@{coalesce(triggerBody()?['correlationId']}"));
        Problems.AssertReported(ExpressionSyntax.Find(fixture.Files), "OrderIntake: definition.actions.Prepare_to_publish.inputs.parameters.runName");
    }

    [TestMethod]
    public void A_double_quoted_string_literal_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("parameters.json", p => p["ordersTopicName"]!["value"] = "@appsetting(\"Orders_TopicName\")");
        Problems.AssertReported(ExpressionSyntax.Find(fixture.Files), "parameters.json: ordersTopicName.value");
    }
}
