using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class RunAfter_Specs
{
    private const string FailingThenBranches = """
        {
          "Fail": { "type": "Compose", "inputs": "@int('not a number')", "runAfter": {} },
          "Ok": { "type": "Compose", "inputs": "ok", "runAfter": { "Fail": ["Succeeded"] } },
          "AfterOk": { "type": "Compose", "inputs": "after", "runAfter": { "Ok": ["Succeeded"] } },
          "Handler": { "type": "Compose", "inputs": "handled", "runAfter": { "Fail": ["Failed", "TimedOut"] } }
        }
        """;

    [TestMethod]
    public async Task An_action_waiting_for_success_of_a_failed_action_is_skipped_with_Microsofts_message()
    {
        using var host = Inline.Host(FailingThenBranches);
        var run = await host.RunAsync();

        var ok = run.Action("Ok");
        Assert.AreEqual(WorkflowStatus.Skipped, ok.Status);
        Assert.AreEqual("ActionSkipped", ok.Code);
        Assert.AreEqual("ActionConditionFailed", ok.Error!.Value<string>("code"));
        Assert.AreEqual(
            "The execution of template action 'Ok' is skipped: the 'runAfter' condition for action 'Fail' is not satisfied. Expected status values 'Succeeded' and actual value 'Failed'.",
            ok.Error.Value<string>("message"));
    }

    [TestMethod]
    public async Task Skipping_propagates_to_actions_that_wait_for_a_skipped_action()
    {
        using var host = Inline.Host(FailingThenBranches);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("AfterOk").Status);
        StringAssert.Contains(run.Action("AfterOk").Error!.Value<string>("message"), "actual value 'Skipped'");
    }

    [TestMethod]
    public async Task A_handler_running_after_Failed_runs_but_the_run_still_fails_because_the_other_branch_ends_skipped()
    {
        using var host = Inline.Host(FailingThenBranches);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Handler").Status);
        Assert.AreEqual(WorkflowStatus.Failed, run.Status, run.Describe());
        Assert.AreEqual("ActionFailed", run.Error!.Value<string>("code"));
    }

    [TestMethod]
    public async Task A_failure_handled_on_the_only_branch_leaves_the_run_Succeeded()
    {
        using var host = Inline.Host("""
            {
              "Fail": { "type": "Compose", "inputs": "@int('x')", "runAfter": {} },
              "Handler": { "type": "Compose", "inputs": "handled", "runAfter": { "Fail": ["Failed"] } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Fail").Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
    }

    [TestMethod]
    public async Task An_expression_error_fails_the_action_with_InvalidTemplate_and_Microsofts_wording()
    {
        using var host = Inline.Host("""{ "Fail": { "type": "Compose", "inputs": "@int('x')", "runAfter": {} } }""");
        var run = await host.RunAsync();

        var fail = run.Action("Fail");
        Assert.AreEqual("BadRequest", fail.Code);
        Assert.AreEqual("InvalidTemplate", fail.Error!.Value<string>("code"));
        StringAssert.StartsWith(fail.Error.Value<string>("message"), "Unable to process template language expressions in action 'Fail' inputs at line '0' and column '0':");
        Assert.IsNull(fail.Outputs);
    }

    [TestMethod]
    public async Task An_action_after_several_predecessors_waits_for_all_of_them()
    {
        using var host = Inline.Host("""
            {
              "A": { "type": "Compose", "inputs": "a", "runAfter": {} },
              "B": { "type": "Compose", "inputs": "b", "runAfter": {} },
              "Join": { "type": "Compose", "inputs": "@concat(outputs('A'), outputs('B'))", "runAfter": { "A": ["Succeeded"], "B": ["Succeeded"] } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual("ab", (string?)run.Action("Join").Outputs);
        Assert.IsTrue(run.Action("Join").StartTime >= run.Action("A").EndTime && run.Action("Join").StartTime >= run.Action("B").EndTime);
    }

    [TestMethod]
    public async Task Parallel_branches_run_concurrently()
    {
        var firstStarted = new TaskCompletionSource();
        var secondStarted = new TaskCompletionSource();
        using var host = Inline.Host("""
            {
              "First": { "type": "InvokeFunction", "inputs": { "functionName": "First", "parameters": {} }, "runAfter": {} },
              "Second": { "type": "InvokeFunction", "inputs": { "functionName": "Second", "parameters": {} }, "runAfter": {} }
            }
            """);
        host.UseFunctions(new RendezvousInvoker(firstStarted, secondStarted));

        var run = await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
    }

    /// <summary>Each function waits until the other has started: only concurrent branches can finish.</summary>
    private sealed class RendezvousInvoker(TaskCompletionSource first, TaskCompletionSource second) : Bindings.IFunctionInvoker
    {
        public bool HasFunction(string functionName) => true;

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            var (mine, other) = functionName == "First" ? (first, second) : (second, first);
            mine.TrySetResult();
            await other.Task.ConfigureAwait(false);
            return functionName;
        }
    }

    [TestMethod]
    public async Task Terminate_Failed_sets_the_run_status_and_error_and_skips_what_is_left()
    {
        using var host = Inline.Host("""
            {
              "Stop": { "type": "Terminate", "inputs": { "runStatus": "Failed", "runError": { "code": "OrderRejected", "message": "no stock" } }, "runAfter": {} },
              "Later": { "type": "Compose", "inputs": "x", "runAfter": { "Stop": ["Succeeded"] } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Status);
        Assert.AreEqual("OrderRejected", run.Error!.Value<string>("code"));
        Assert.AreEqual("no stock", run.Error.Value<string>("message"));
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Stop").Status);
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Later").Status);
    }

    [TestMethod]
    public async Task Terminate_Cancelled_inside_a_scope_cancels_the_scope_and_the_run()
    {
        using var host = Inline.Host("""
            {
              "Work": { "type": "Scope", "runAfter": {}, "actions": {
                  "Stop": { "type": "Terminate", "inputs": { "runStatus": "Cancelled" }, "runAfter": {} } } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Cancelled, run.Status);
        Assert.IsNull(run.Error);
        Assert.AreEqual(WorkflowStatus.Cancelled, run.Action("Work").Status);
    }

    [TestMethod]
    public async Task Terminate_Succeeded_ends_a_run_with_a_failed_action_as_Succeeded()
    {
        using var host = Inline.Host("""
            {
              "Fail": { "type": "Compose", "inputs": "@int('x')", "runAfter": {} },
              "Done": { "type": "Terminate", "inputs": { "runStatus": "Succeeded" }, "runAfter": { "Fail": ["Failed"] } }
            }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status);
    }
}
