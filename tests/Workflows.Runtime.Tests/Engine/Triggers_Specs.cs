using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Triggers_Specs
{
    [TestMethod]
    public async Task A_request_trigger_answers_with_the_Response_action_and_exposes_headers_body_and_queries()
    {
        using var host = Inline.Host("""
            { "Answer": { "type": "Response", "kind": "Http", "runAfter": {}, "inputs": {
                "statusCode": 201, "headers": { "x-order": "@triggerBody()?['orderId']" },
                "body": { "received": "@triggerOutputs()?['queries']?['source']", "contentType": "@triggerOutputs()?['headers']?['Content-Type']" } } } }
            """);

        var response = await host.PostAsync(Inline.Name, new JObject { ["orderId"] = "o-7" }, queries: new JObject { ["source"] = "crm" });

        Assert.AreEqual(201, response.StatusCode);
        Assert.AreEqual("o-7", (string?)response.Headers["x-order"]);
        Assert.AreEqual("crm", (string?)response.Body!["received"]);
        Assert.AreEqual("application/json", (string?)response.Body["contentType"]);
        Assert.AreEqual(response.Run!.Id, (string?)response.Headers["x-ms-workflow-run-id"]);
        var run = await response.Run.Completion;
        Assert.AreEqual(201, run.Response!.StatusCode);
    }

    [TestMethod]
    public async Task A_request_trigger_without_a_Response_action_answers_202_Accepted_at_once()
    {
        using var host = Inline.Host("""{ "Work": { "type": "Compose", "inputs": "@triggerBody()", "runAfter": {} } }""");

        var response = await host.PostAsync(Inline.Name, new JObject { ["a"] = 1 });

        Assert.AreEqual(202, response.StatusCode);
        var run = await response.Run!.Completion;
        Assert.AreEqual(1L, (long)run.Action("Work").Outputs!["a"]!);
    }

    [TestMethod]
    public async Task A_run_that_ends_before_its_Response_runs_answers_502_NoResponse()
    {
        using var host = Inline.Host("""
            { "Fail": { "type": "Compose", "inputs": "@div(1, 0)", "runAfter": {} },
              "Answer": { "type": "Response", "kind": "Http", "inputs": { "statusCode": 200 }, "runAfter": { "Fail": ["Succeeded"] } } }
            """);

        var response = await host.PostAsync(Inline.Name, new JObject());

        Assert.AreEqual(502, response.StatusCode);
        Assert.AreEqual("NoResponse", (string?)response.Body!["error"]!["code"]);
    }

    [TestMethod]
    public async Task Schema_validation_when_enabled_rejects_a_bad_body_with_400_and_starts_no_run()
    {
        using var host = Inline.Host("{}", trigger: """
            { "manual": { "type": "Request", "kind": "Http", "operationOptions": "EnableSchemaValidation",
                "inputs": { "schema": { "type": "object", "required": ["orderId"], "properties": { "orderId": { "type": "string" } } } } } }
            """);

        var response = await host.PostAsync(Inline.Name, new JObject { ["orderId"] = 5 });

        Assert.AreEqual(400, response.StatusCode);
        Assert.IsNull(response.Run);
        Assert.AreEqual(0, host.History.Count);
    }

    [TestMethod]
    public async Task SplitOn_debatches_one_run_per_item_with_the_item_as_trigger_body_and_its_tracking_id()
    {
        using var host = Inline.Host("""{ "Read": { "type": "Compose", "inputs": "@triggerBody()?['lockToken']", "runAfter": {} } }""",
            trigger: Inline.ServiceBusTrigger, connections: Inline.BusConnection);

        var runs = await host.TriggerAsync(Inline.Name, JObject.Parse("""{ "body": [ { "messageId": "m1", "lockToken": "l1" }, { "messageId": "m2", "lockToken": "l2" } ] }"""));

        Assert.AreEqual(2, runs.Count);
        CollectionAssert.AreEquivalent(new[] { "l1", "l2" }, runs.Select(r => (string)r.Action("Read").Outputs!).ToArray());
        CollectionAssert.AreEquivalent(new[] { "m1", "m2" }, runs.Select(r => r.ClientTrackingId).ToArray());
    }

    [TestMethod]
    public async Task Without_a_correlation_setting_the_client_tracking_id_is_the_run_id()
    {
        using var host = Inline.Host("{}");
        var run = await host.RunAsync();

        Assert.AreEqual(run.Id, run.ClientTrackingId);
        StringAssert.Matches(run.Id, new System.Text.RegularExpressions.Regex("^[0-9]{29}CU[0-9]{2}$"));
    }

    [TestMethod]
    public async Task Started_service_provider_triggers_fire_runs_through_the_binding_until_cancelled()
    {
        using var host = Inline.Host("""{ "Read": { "type": "Compose", "inputs": "@triggerBody()?['lockToken']", "runAfter": {} } }""",
            trigger: Inline.ServiceBusTrigger, connections: Inline.BusConnection);
        var bus = host.ServiceProvider("/serviceProviders/serviceBus");
        var completed = new TaskCompletionSource();
        var finished = 0;
        host.Engine.RunCompleted += _ => { if (Interlocked.Increment(ref finished) == 3) completed.TrySetResult(); };
        using var stop = new CancellationTokenSource();

        var listening = host.Engine.StartTriggersAsync(stop.Token);
        bus.FireTrigger(JObject.Parse("""{ "body": [ { "messageId": "m1", "lockToken": "l1" }, { "messageId": "m2", "lockToken": "l2" } ] }"""));
        bus.FireTrigger(JObject.Parse("""{ "body": [ { "messageId": "m3", "lockToken": "l3" } ] }"""));
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await listening.WaitAsync(TimeSpan.FromSeconds(10));

        var trigger = bus.TriggerRequests.Single();
        Assert.AreEqual("peekLockTopicMessagesV2", trigger.OperationId);
        Assert.AreEqual("sap-fulfillment", trigger.Parameters.Value<string>("subscriptionName"));
        CollectionAssert.AreEquivalent(new[] { "m1", "m2", "m3" }, host.History.Query(new RunQuery(Inline.Name)).Select(r => r.ClientTrackingId).ToArray());
    }

    [TestMethod]
    public async Task Trigger_concurrency_limits_how_many_runs_are_in_flight()
    {
        using var host = Inline.Host("""
            { "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Hold", "parameters": {} }, "runAfter": {} } }
            """, trigger: Inline.ServiceBusTrigger.Replace("\"splitOn\"", "\"runtimeConfiguration\": { \"concurrency\": { \"runs\": 2 } }, \"splitOn\""), connections: Inline.BusConnection);
        var gate = new HoldingInvoker();
        host.UseFunctions(gate);

        var firing = host.TriggerAsync(Inline.Name, JObject.Parse("""{ "body": [ { "messageId": "1" }, { "messageId": "2" }, { "messageId": "3" } ] }"""));
        await gate.TwoStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual(2, gate.Started, "the third run waits for a free slot");
        gate.Release.TrySetResult();
        var runs = await firing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(3, runs.Count);
        Assert.AreEqual(3, gate.Started);
    }

    private sealed class HoldingInvoker : IFunctionInvoker
    {
        public int Started;
        public readonly TaskCompletionSource TwoStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HasFunction(string functionName) => true;

        public async Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref Started) == 2) TwoStarted.TrySetResult();
            await Release.Task.ConfigureAwait(false);
            return JValue.CreateNull();
        }
    }

    [TestMethod]
    public async Task A_recurrence_trigger_fires_on_its_schedule_on_the_workflow_clock()
    {
        using var host = Inline.Host("""{ "Now": { "type": "Compose", "inputs": "@utcNow()", "runAfter": {} } }""", trigger: """
            { "Every_5_minutes": { "type": "Recurrence", "recurrence": { "frequency": "Minute", "interval": 5, "startTime": "2026-01-15T09:02:00Z" } } }
            """);
        var three = new TaskCompletionSource();
        var count = 0;
        using var stop = new CancellationTokenSource();
        host.Engine.RunCompleted += _ =>
        {
            if (Interlocked.Increment(ref count) == 3)
            {
                stop.Cancel();
                three.TrySetResult();
            }
        };

        await host.Engine.StartTriggersAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));

        var scheduled = host.History.Query(new RunQuery(Inline.Name)).Select(r => r.Trigger.ScheduledTime!.Value).OrderBy(t => t).Take(3).ToArray();
        CollectionAssert.AreEqual(new[]
        {
            DateTimeOffset.Parse("2026-01-15T09:02:00Z"), DateTimeOffset.Parse("2026-01-15T09:07:00Z"), DateTimeOffset.Parse("2026-01-15T09:12:00Z"),
        }, scheduled);
    }

    [TestMethod]
    public async Task Trigger_conditions_that_are_false_start_no_run()
    {
        using var host = Inline.Host("{}", trigger: """
            { "manual": { "type": "Request", "kind": "Http", "conditions": [ { "expression": "@equals(triggerBody()?['eventType'], 'OrderCreated')" } ] } }
            """);

        var skipped = await host.TriggerAsync(Inline.Name, JObject.Parse("""{ "body": { "eventType": "OrderUpdated" } }"""));
        var started = await host.TriggerAsync(Inline.Name, JObject.Parse("""{ "body": { "eventType": "OrderCreated" } }"""));

        Assert.AreEqual(0, skipped.Count);
        Assert.AreEqual(1, started.Count);
    }

    [TestMethod]
    public async Task A_splitOn_that_is_not_an_array_fails_the_trigger_and_starts_no_run()
    {
        using var host = Inline.Host("{}", trigger: Inline.ServiceBusTrigger, connections: Inline.BusConnection);

        var error = await Assert.ThrowsExactlyAsync<Runtime.Engine.TriggerFailedException>(() => host.TriggerAsync(Inline.Name, JObject.Parse("""{ "body": { "not": "an array" } }""")));

        StringAssert.Contains(error.Message, "it must be an array");
        Assert.AreEqual(0, host.History.Count);
    }
}
