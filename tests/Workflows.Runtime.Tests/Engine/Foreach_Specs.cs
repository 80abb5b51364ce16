using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Foreach_Specs
{
    [TestMethod]
    public async Task Each_item_gets_its_own_repetition_and_item_gives_the_current_element()
    {
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@triggerBody()?['lines']", "runAfter": {}, "actions": {
                "Double": { "type": "Compose", "inputs": "@mul(item()?['qty'], 2)", "runAfter": {} } } } }
            """);
        var run = await host.RunAsync(JObject.Parse("""{ "lines": [ { "qty": 1 }, { "qty": 2 }, { "qty": 3 } ] }"""));

        var each = run.Action("Each");
        Assert.AreEqual(WorkflowStatus.Succeeded, each.Status);
        Assert.AreEqual(3, each.IterationCount);
        var repetitions = run.Action("Double").Repetitions;
        CollectionAssert.AreEquivalent(new long[] { 2, 4, 6 }, repetitions.Select(r => (long)r.Outputs!).ToArray());
        CollectionAssert.AreEquivalent(new[] { 0, 1, 2 }, repetitions.Select(r => r.RepetitionIndexes.Single().ItemIndex).ToArray());
        Assert.IsTrue(repetitions.All(r => r.RepetitionIndexes.Single().ScopeName == "Each"));
    }

    [TestMethod]
    public async Task Actions_inside_an_iteration_see_that_iterations_results()
    {
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@createArray('a', 'b', 'c', 'd')", "runAfter": {}, "actions": {
                "Upper": { "type": "Compose", "inputs": "@toUpper(item())", "runAfter": {} },
                "Echo": { "type": "Compose", "inputs": "@concat(item(), '=', outputs('Upper'))", "runAfter": { "Upper": ["Succeeded"] } } } } }
            """);
        var run = await host.RunAsync();

        CollectionAssert.AreEquivalent(new[] { "a=A", "b=B", "c=C", "d=D" }, run.Action("Echo").Repetitions.Select(r => (string)r.Outputs!).ToArray());
    }

    [TestMethod]
    public async Task One_failed_iteration_fails_the_loop_but_all_iterations_run()
    {
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@createArray(1, 0, 2)", "runAfter": {}, "actions": {
                "Divide": { "type": "Compose", "inputs": "@div(10, item())", "runAfter": {} } } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Each").Status);
        Assert.AreEqual(3, run.Action("Divide").Repetitions.Count);
        Assert.AreEqual(1, run.Action("Divide").Repetitions.Count(r => r.Status == WorkflowStatus.Failed));
    }

    [TestMethod]
    public async Task A_non_array_input_fails_the_loop_with_a_clear_message()
    {
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@triggerBody()", "runAfter": {}, "actions": {
                "Inner": { "type": "Compose", "inputs": 1, "runAfter": {} } } } }
            """);
        var run = await host.RunAsync(new JObject { ["a"] = 1 });

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Each").Status);
        StringAssert.Contains(run.Action("Each").Error!.Value<string>("message"), "is of type 'Object'. The result must be a valid array.");
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Inner").Status);
    }

    [TestMethod]
    public async Task Sequential_loops_run_one_iteration_at_a_time_in_order()
    {
        var invoker = new ConcurrencyProbe(1);
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@range(0, 6)", "operationOptions": "Sequential", "runAfter": {}, "actions": {
                "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Probe", "parameters": { "i": "@item()" } }, "runAfter": {} } } } }
            """);
        host.UseFunctions(invoker);

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(1, invoker.MaxConcurrent);
        CollectionAssert.AreEqual(new long[] { 0, 1, 2, 3, 4, 5 }, invoker.Order.ToArray());
    }

    [TestMethod]
    public async Task Parallel_loops_run_up_to_the_configured_number_of_repetitions_at_once()
    {
        var invoker = new ConcurrencyProbe(3);
        using var host = Inline.Host("""
            { "Each": { "type": "Foreach", "foreach": "@range(0, 12)", "runtimeConfiguration": { "concurrency": { "repetitions": 3 } }, "runAfter": {}, "actions": {
                "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Probe", "parameters": { "i": "@item()" } }, "runAfter": {} } } } }
            """);
        host.UseFunctions(invoker);

        var run = await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.AreEqual(3, invoker.MaxConcurrent);
        Assert.AreEqual(12, invoker.Order.Count);
    }

    [TestMethod]
    public async Task Items_of_an_outer_loop_are_reachable_by_name_from_an_inner_loop()
    {
        using var host = Inline.Host("""
            { "Orders": { "type": "Foreach", "foreach": "@triggerBody()?['orders']", "runAfter": {}, "actions": {
                "Lines": { "type": "Foreach", "foreach": "@items('Orders')?['lines']", "runAfter": {}, "actions": {
                    "Label": { "type": "Compose", "inputs": "@{items('Orders')?['id']}/@{item()}", "runAfter": {} } } } } } }
            """);
        var run = await host.RunAsync(JObject.Parse("""{ "orders": [ { "id": "o1", "lines": ["x", "y"] }, { "id": "o2", "lines": ["z"] } ] }"""));

        CollectionAssert.AreEquivalent(new[] { "o1/x", "o1/y", "o2/z" }, run.Action("Label").Repetitions.Select(r => (string)r.Outputs!).ToArray());
        Assert.AreEqual(2, run.Action("Label").Repetitions.First(r => (string)r.Outputs! == "o1/y").RepetitionIndexes.Count);
    }

    /// <summary>
    /// Holds calls in rounds: a round is released only when <c>target</c> calls are in flight together, so a loop
    /// with less concurrency never finishes (the test times out) and one with more shows a higher maximum.
    /// </summary>
    private sealed class ConcurrencyProbe(int target) : IFunctionInvoker
    {
        private readonly Lock gate = new();
        private TaskCompletionSource round = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int inRound;
        private int current;
        public int MaxConcurrent;
        public readonly List<long> Order = [];

        public bool HasFunction(string functionName) => true;

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            Task wait;
            lock (gate)
            {
                current++;
                MaxConcurrent = Math.Max(MaxConcurrent, current);
                Order.Add((long)parameters["i"]!);
                wait = round.Task;
                if (++inRound == target)
                {
                    round.SetResult();
                    round = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    inRound = 0;
                }
            }
            await wait.ConfigureAwait(false);
            lock (gate) current--;
            return parameters["i"]!;
        }
    }
}
