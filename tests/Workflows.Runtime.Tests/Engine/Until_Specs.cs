using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Until_Specs
{
    private const string CountToThree = """
        {
          "Init": { "type": "InitializeVariable", "inputs": { "variables": [ { "name": "n", "type": "Integer", "value": 0 } ] }, "runAfter": {} },
          "Loop": { "type": "Until", "expression": "@equals(variables('n'), 3)", "limit": { "count": 10, "timeout": "PT1H" },
            "runAfter": { "Init": ["Succeeded"] }, "actions": {
              "Step": { "type": "IncrementVariable", "inputs": { "name": "n", "value": 1 }, "runAfter": {} },
              "Index": { "type": "Compose", "inputs": "@iterationIndexes('Loop')", "runAfter": { "Step": ["Succeeded"] } } } }
        }
        """;

    [TestMethod]
    public async Task The_body_runs_before_the_condition_and_the_loop_stops_when_it_is_true()
    {
        using var host = Inline.Host(CountToThree);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Loop").Status, run.Describe());
        Assert.AreEqual(3, run.Action("Loop").IterationCount);
        CollectionAssert.AreEqual(new long[] { 0, 1, 2 }, run.Action("Index").Repetitions.Select(r => (long)r.Outputs!).ToArray());
    }

    [TestMethod]
    public async Task Reaching_the_count_limit_stops_the_loop_and_still_succeeds()
    {
        using var host = Inline.Host(CountToThree.Replace("\"count\": 10", "\"count\": 2"));
        var run = await host.RunAsync();

        Assert.AreEqual(2, run.Action("Loop").IterationCount);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Loop").Status);
    }

    [TestMethod]
    public async Task With_FailWhenLimitsReached_hitting_the_limit_fails_the_loop()
    {
        using var host = Inline.Host(CountToThree.Replace("\"count\": 10", "\"count\": 2").Replace("\"type\": \"Until\",", "\"type\": \"Until\", \"operationOptions\": \"FailWhenLimitsReached\","));
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Loop").Status);
        Assert.AreEqual("ActionLimitReached", run.Action("Loop").Error!.Value<string>("code"));
    }

    [TestMethod]
    public async Task The_timeout_limit_is_checked_between_iterations_on_the_workflow_clock()
    {
        using var host = Inline.Host("""
            { "Loop": { "type": "Until", "expression": "@equals(1, 2)", "limit": { "count": 100, "timeout": "PT10M" }, "runAfter": {}, "actions": {
                "Pause": { "type": "Wait", "inputs": { "interval": { "count": 4, "unit": "Minute" } }, "runAfter": {} } } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(3, run.Action("Loop").IterationCount, "after 3 waits of 4 minutes, 12 minutes have passed");
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Loop").Status);
    }

    [TestMethod]
    public async Task A_failure_in_an_earlier_iteration_does_not_fail_the_loop_when_the_last_succeeds()
    {
        using var host = Inline.Host("""
            {
              "Init": { "type": "InitializeVariable", "inputs": { "variables": [ { "name": "n", "type": "Integer", "value": 0 } ] }, "runAfter": {} },
              "Loop": { "type": "Until", "expression": "@equals(variables('n'), 2)", "limit": { "count": 5 }, "runAfter": { "Init": ["Succeeded"] }, "actions": {
                  "Step": { "type": "IncrementVariable", "inputs": { "name": "n" }, "runAfter": {} },
                  "FailFirst": { "type": "Compose", "inputs": "@div(1, sub(variables('n'), 1))", "runAfter": { "Step": ["Succeeded"] } } } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("FailFirst").Repetitions[0].Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Loop").Status, run.Describe());
    }
}
