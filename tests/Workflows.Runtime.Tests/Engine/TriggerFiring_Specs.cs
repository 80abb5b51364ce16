using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// What the <c>fire</c> callback the engine hands to <see cref="IServiceProviderBinding.RunTriggerAsync"/> returns:
/// a <c>Task&lt;IReadOnlyList&lt;WorkflowRun&gt;&gt;</c> that completes once the firing's runs have STARTED and
/// lists every one of them. It does not wait for the runs to end: a binding that must deliver a session's next
/// message only after the previous run ended (the Service Bus session triggers) awaits each run's
/// <see cref="WorkflowRun.Completion"/> itself.
/// </summary>
[TestClass]
public sealed class TriggerFiring_Specs
{
    private const string Trigger = """
        { "When_messages_are_available": { "type": "ServiceProvider", "splitOn": "@triggerOutputs()?['body']",
            "conditions": [ { "expression": "@not(equals(triggerOutputs()?['body']?[0]?['skip'], true))" } ],
            "inputs": { "parameters": { "topicName": "orders", "subscriptionName": "sap-fulfillment" },
              "serviceProviderConfiguration": { "connectionName": "bus", "operationId": "peekLockTopicMessagesV2", "serviceProviderId": "/serviceProviders/serviceBus" } } } }
        """;

    private const string HoldingAction = """{ "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Hold", "parameters": {} }, "runAfter": {} } }""";

    private static readonly JObject BusConnection = JObject.Parse("""
        { "serviceProviderConnections": { "bus": { "parameterValues": { "connectionString": "Endpoint=sb://local" }, "serviceProvider": { "id": "/serviceProviders/serviceBus" } } } }
        """);

    [TestMethod]
    public async Task The_task_of_a_firing_lists_every_run_it_started_one_per_splitOn_item()
    {
        await using var fixture = await Fixture.StartAsync();
        fixture.Functions.Release();

        var runs = await fixture.FireAsync("""[ { "messageId": "m1" }, { "messageId": "m2" } ]""");

        Assert.HasCount(2, runs);
        foreach (var run in runs) Assert.AreEqual(WorkflowStatus.Succeeded, (await run.Completion.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        CollectionAssert.AreEquivalent(new[] { "m1", "m2" }, runs.Select(r => (string?)((JObject)r.Trigger.Outputs)["body"]!["messageId"]).ToArray());
    }

    [TestMethod]
    public async Task The_task_of_a_firing_completes_when_its_runs_have_started_not_when_they_have_ended()
    {
        await using var fixture = await Fixture.StartAsync();

        var runs = await fixture.FireAsync("""[ { "messageId": "m1" } ]""");
        await fixture.Functions.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsFalse(runs.Single().IsCompleted, "the run is still inside its action");
        Assert.AreEqual(WorkflowStatus.Running, runs.Single().Status);
        fixture.Functions.Release();
        Assert.AreEqual(WorkflowStatus.Succeeded, (await runs.Single().Completion.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [TestMethod]
    public async Task Awaiting_each_runs_completion_delivers_the_next_firing_only_after_the_previous_run_ended()
    {
        await using var fixture = await Fixture.StartAsync();
        var order = new List<string>();
        fixture.Functions.Release();

        foreach (var message in new[] { "first", "second" })
        {
            var runs = await fixture.FireAsync($$"""[ { "messageId": "{{message}}" } ]""");
            lock (order) order.Add("started " + message);
            foreach (var run in runs) await run.Completion.WaitAsync(TimeSpan.FromSeconds(10)); // what the session binding does
            lock (order) order.Add("ended " + message);
        }

        CollectionAssert.AreEqual(new[] { "started first", "ended first", "started second", "ended second" }, order);
        var recorded = fixture.History.Query(new RunQuery(Inline.Name)).OrderBy(r => r.StartTime).ToArray();
        Assert.IsTrue(recorded[1].StartTime >= recorded[0].EndTime, "the second run started after the first ended");
    }

    [TestMethod]
    public async Task A_firing_whose_trigger_condition_is_false_starts_no_run_and_completes_at_once()
    {
        await using var fixture = await Fixture.StartAsync();

        var runs = await fixture.FireAsync("""[ { "messageId": "m1", "skip": true } ]""");

        Assert.IsEmpty(runs);
        Assert.AreEqual(0, fixture.History.Count);
    }

    /// <summary>An engine with the trigger started on a binding that hands the test the engine's fire callback.</summary>
    private sealed class Fixture : IAsyncDisposable
    {
        private readonly Testing.WorkflowTestHost host;
        private readonly CapturingBinding binding = new();
        private readonly CancellationTokenSource stop = new();
        private Task listening = Task.CompletedTask;

        private Fixture(Testing.WorkflowTestHost host) => this.host = host;

        public HoldingFunctions Functions { get; } = new();

        public InMemoryRunHistory History => host.History;

        public static async Task<Fixture> StartAsync()
        {
            var fixture = new Fixture(Inline.Host(HoldingAction, trigger: Trigger, connections: BusConnection));
            fixture.host.UseServiceProvider(fixture.binding).UseFunctions(fixture.Functions);
            fixture.listening = fixture.host.Engine.StartTriggersAsync(fixture.stop.Token);
            await fixture.binding.Fire.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return fixture;
        }

        /// <summary>Calls fire as a binding does and reads what its task says about the runs.</summary>
        public async Task<IReadOnlyList<WorkflowRun>> FireAsync(string items)
        {
            var firing = binding.Fire.Task.Result(new JObject { ["body"] = JArray.Parse(items) }, stop.Token);
            await firing.WaitAsync(TimeSpan.FromSeconds(10));
            if (firing is not Task<IReadOnlyList<WorkflowRun>> started)
                throw new AssertFailedException($"fire returned a {firing.GetType().Name}: the Service Bus session binding reads the started runs from a Task<IReadOnlyList<WorkflowRun>>.");
            return await started;
        }

        public async ValueTask DisposeAsync()
        {
            Functions.Release();
            await stop.CancelAsync();
            await listening.WaitAsync(TimeSpan.FromSeconds(10));
            host.Dispose();
            stop.Dispose();
        }
    }

    private sealed class CapturingBinding : IServiceProviderBinding
    {
        public TaskCompletionSource<Func<JObject, CancellationToken, Task>> Fire { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string ServiceProviderId => "/serviceProviders/serviceBus";

        public Task<ConnectorResponse> InvokeActionAsync(ServiceProviderRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The workflow calls no connector action.");

        public async Task RunTriggerAsync(ServiceProviderRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
        {
            Fire.TrySetResult(fire);
            try { await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        }
    }

    /// <summary>The function 'Hold' returns only after <see cref="Release"/>.</summary>
    private sealed class HoldingFunctions : IFunctionInvoker
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => released.TrySetResult();

        public bool HasFunction(string functionName) => functionName == "Hold";

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
            return new JObject();
        }
    }
}
