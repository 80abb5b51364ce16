using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Scope_Specs
{
    [TestMethod]
    public async Task A_scope_whose_actions_all_succeed_is_Succeeded()
    {
        using var host = Inline.Host("""
            { "Try": { "type": "Scope", "runAfter": {}, "actions": {
                "A": { "type": "Compose", "inputs": 1, "runAfter": {} },
                "B": { "type": "Compose", "inputs": 2, "runAfter": { "A": ["Succeeded"] } } } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Try").Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status);
    }

    [TestMethod]
    public async Task A_failing_inner_action_fails_the_scope_and_a_catch_scope_reads_the_failure_with_result()
    {
        using var host = Inline.Host("""
            {
              "Try": { "type": "Scope", "runAfter": {}, "actions": {
                  "Ok": { "type": "Compose", "inputs": "fine", "runAfter": {} },
                  "Boom": { "type": "Compose", "inputs": "@div(1, 0)", "runAfter": { "Ok": ["Succeeded"] } } } },
              "Catch": { "type": "Scope", "runAfter": { "Try": ["Failed", "TimedOut"] }, "actions": {
                  "Failed_actions": { "type": "Query", "inputs": { "from": "@result('Try')", "where": "@equals(item()['status'], 'Failed')" }, "runAfter": {} } } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Try").Status);
        Assert.AreEqual("ActionFailed", run.Action("Try").Error!.Value<string>("code"));
        Assert.AreEqual("An action failed. No dependent actions succeeded.", run.Action("Try").Error!.Value<string>("message"));
        var failed = (JArray)run.Action("Failed_actions").Body()!;
        Assert.AreEqual(1, failed.Count);
        Assert.AreEqual("Boom", failed[0].Value<string>("name"));
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, "the catch branch is the only branch end and it succeeded");
    }

    [TestMethod]
    public async Task A_failure_handled_inside_the_scope_leaves_the_scope_Succeeded()
    {
        using var host = Inline.Host("""
            { "Try": { "type": "Scope", "runAfter": {}, "actions": {
                "Boom": { "type": "Compose", "inputs": "@div(1, 0)", "runAfter": {} },
                "Recover": { "type": "Compose", "inputs": "recovered", "runAfter": { "Boom": ["Failed"] } } } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Try").Status, run.Describe());
    }

    [TestMethod]
    public async Task The_actions_of_a_skipped_scope_are_recorded_as_Skipped()
    {
        using var host = Inline.Host("""
            {
              "Fail": { "type": "Compose", "inputs": "@div(1, 0)", "runAfter": {} },
              "Work": { "type": "Scope", "runAfter": { "Fail": ["Succeeded"] }, "actions": {
                  "Inner": { "type": "Compose", "inputs": 1, "runAfter": {} } } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Work").Status);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Inner").Status);
        Assert.AreEqual("ActionDependencyFailed", run.Action("Inner").Error!.Value<string>("code"));
    }

    [TestMethod]
    public async Task A_condition_runs_the_true_branch_and_skips_the_else_branch()
    {
        using var host = Inline.Host("""
            { "Check": { "type": "If", "runAfter": {},
                "expression": { "and": [ { "greater": [ "@triggerBody()?['quantity']", 0 ] }, { "not": { "equals": [ "@triggerBody()?['sku']", "" ] } } ] },
                "actions": { "Yes": { "type": "Compose", "inputs": "yes", "runAfter": {} } },
                "else": { "actions": { "No": { "type": "Compose", "inputs": "no", "runAfter": {} } } } } }
            """);
        var run = await host.RunAsync(new JObject { ["quantity"] = 3, ["sku"] = "A-1" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Yes").Status);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("No").Status);
        Assert.AreEqual("ActionBranchingConditionNotSatisfied", run.Action("No").Error!.Value<string>("code"));
        Assert.AreEqual(true, (bool)run.Action("Check").Inputs!["expressionResult"]!);
    }

    [TestMethod]
    public async Task A_condition_with_an_expression_string_takes_the_else_branch_when_false()
    {
        using var host = Inline.Host("""
            { "Check": { "type": "If", "runAfter": {}, "expression": "@equals(triggerBody()?['kind'], 'urgent')",
                "actions": { "Yes": { "type": "Compose", "inputs": "yes", "runAfter": {} } },
                "else": { "actions": { "No": { "type": "Compose", "inputs": "no", "runAfter": {} } } } } }
            """);
        var run = await host.RunAsync(new JObject { ["kind"] = "normal" });

        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Yes").Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("No").Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Check").Status);
    }

    [TestMethod]
    public async Task A_condition_that_does_not_yield_a_boolean_fails_the_condition()
    {
        using var host = Inline.Host("""
            { "Check": { "type": "If", "runAfter": {}, "expression": "@triggerBody()?['kind']", "actions": {}, "else": { "actions": {} } } }
            """);
        var run = await host.RunAsync(new JObject { ["kind"] = "normal" });

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Check").Status);
        Assert.AreEqual("InvalidTemplate", run.Action("Check").Error!.Value<string>("code"));
    }

    private const string SwitchOnEventType = """
        { "Route": { "type": "Switch", "runAfter": {}, "expression": "@triggerBody()?['eventType']",
            "cases": {
              "Created": { "case": "OrderCreated", "actions": { "Create": { "type": "Compose", "inputs": "create", "runAfter": {} } } },
              "Cancelled": { "case": "OrderCancelled", "actions": { "Cancel": { "type": "Compose", "inputs": "cancel", "runAfter": {} } } } },
            "default": { "actions": { "Ignore": { "type": "Compose", "inputs": "ignore", "runAfter": {} } } } } }
        """;

    [TestMethod]
    public async Task A_switch_runs_the_matching_case_only()
    {
        using var host = Inline.Host(SwitchOnEventType);
        var run = await host.RunAsync(new JObject { ["eventType"] = "OrderCancelled" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Cancel").Status);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Create").Status);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Ignore").Status);
    }

    [TestMethod]
    public async Task A_switch_without_a_matching_case_runs_the_default()
    {
        using var host = Inline.Host(SwitchOnEventType);
        var run = await host.RunAsync(new JObject { ["eventType"] = "orderCreated" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Ignore").Status, "matching is case-sensitive");
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Create").Status);
    }

    [TestMethod]
    public async Task A_switch_on_null_fails()
    {
        using var host = Inline.Host(SwitchOnEventType);
        var run = await host.RunAsync(new JObject());

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Route").Status);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Ignore").Status);
    }
}
