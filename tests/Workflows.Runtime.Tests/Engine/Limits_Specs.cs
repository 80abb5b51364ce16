using Newtonsoft.Json.Linq;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Limits_Specs
{
    [TestMethod]
    public void A_workflow_with_more_than_500_actions_is_rejected()
    {
        var actions = new JObject();
        for (var i = 0; i < 501; i++) actions[$"A{i}"] = JObject.Parse("""{ "type": "Compose", "inputs": 1, "runAfter": {} }""");

        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host(actions.ToString()));

        StringAssert.Contains(error.Message, "it has 501 actions; a workflow can have at most 500");
    }

    [TestMethod]
    public void Nesting_deeper_than_8_levels_is_rejected()
    {
        var inner = """{ "Leaf": { "type": "Compose", "inputs": 1, "runAfter": {} } }""";
        for (var depth = 9; depth >= 1; depth--) inner = $$"""{ "S{{depth}}": { "type": "Scope", "runAfter": {}, "actions": {{inner}} } }""";

        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host(inner));

        StringAssert.Contains(error.Message, "Logic Apps allows at most 8");
    }

    [TestMethod]
    public void An_Until_count_above_5000_is_rejected()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host("""
            { "Loop": { "type": "Until", "expression": "@true", "limit": { "count": 5001 }, "runAfter": {}, "actions": {} } }
            """));

        StringAssert.Contains(error.Message, "limit.count must be from 1 to 5000");
    }

    [TestMethod]
    public void For_each_concurrency_outside_1_to_50_is_rejected()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@createArray(1)", "runtimeConfiguration": { "concurrency": { "repetitions": 51 } }, "runAfter": {}, "actions": {} } }
            """));

        StringAssert.Contains(error.Message, "repetitions must be a whole number from 1 to 50");
    }

    [TestMethod]
    public void More_than_250_variables_are_rejected()
    {
        var actions = new JObject();
        for (var i = 0; i < 251; i++)
            actions[$"V{i}"] = JObject.Parse($$"""{ "type": "InitializeVariable", "inputs": { "variables": [ { "name": "v{{i}}", "type": "Integer", "value": 0 } ] }, "runAfter": {} }""");

        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host(actions.ToString()));

        StringAssert.Contains(error.Message, "at most 250");
    }

    [TestMethod]
    public async Task A_for_each_over_more_than_100000_items_fails_the_loop()
    {
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@union(range(0, 100000), range(100000, 1))", "runAfter": {}, "actions": {
                "Inner": { "type": "Compose", "inputs": 1, "runAfter": {} } } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Each").Status);
        StringAssert.Contains(run.Action("Each").Error!.Value<string>("message"), "at most 100,000 items");
    }

    [TestMethod]
    public void Terminate_inside_a_loop_is_rejected()
    {
        var error = Assert.ThrowsExactly<LogicAppLoadException>(() => Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@createArray(1)", "runAfter": {}, "actions": {
                "Stop": { "type": "Terminate", "inputs": { "runStatus": "Failed" }, "runAfter": {} } } } }
            """));

        StringAssert.Contains(error.Message, "can't be inside a For each or Until loop");
    }
}
