using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Definitions;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>Power Automate's connector action and webhook trigger types, and the HTTP action's ActiveDirectoryOAuth.</summary>
[TestClass]
public sealed class OpenApiConnection_Specs
{
    private const string Dataverse = "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps";

    private static string Update(string extra = "") => $$"""
        { "Update_a_row": { "type": "OpenApiConnection", "runAfter": {}, "inputs": {
            "host": { "apiId": "{{Dataverse}}", "connectionName": "shared_commondataserviceforapps", "operationId": "UpdateRecord" },
            "parameters": { "entityName": "oi_orders", "recordId": "@triggerBody()?['id']", "item/oi_integrationstatus": "Published" }
            {{extra}} } },
          "Status": { "type": "Compose", "runAfter": { "Update_a_row": ["Succeeded"] }, "inputs": "@body('Update_a_row')?['oi_integrationstatus']" } }
        """;

    [TestMethod]
    public async Task The_action_reaches_the_binding_of_its_api_with_the_operation_connection_and_evaluated_parameters()
    {
        var dataverse = new RecordingApi("shared_commondataserviceforapps", _ => new ConnectorResponse(200, new JObject { ["oi_integrationstatus"] = "Published" }));
        using var host = Inline.Host(Update()).UseOpenApiConnection(dataverse);

        var run = await host.RunAsync(new JObject { ["id"] = "row-1" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        var call = dataverse.Calls.Single();
        Assert.AreEqual("UpdateRecord", call.OperationId);
        Assert.AreEqual("shared_commondataserviceforapps", call.ConnectionName);
        Assert.AreEqual("Update_a_row", call.OperationName);
        Assert.AreEqual("row-1", call.Parameters.Value<string>("recordId"));
        Assert.AreEqual("Published", call.Parameters.Value<string>("item/oi_integrationstatus"));
        Assert.AreEqual("Published", (string?)run.Action("Status").Outputs);
    }

    [TestMethod]
    public async Task A_connector_error_fails_the_action_with_the_connectors_error_after_the_retry_policy()
    {
        var dataverse = new RecordingApi("shared_commondataserviceforapps",
            _ => new ConnectorResponse(404, new JObject { ["error"] = new JObject { ["code"] = "0x80040217", ["message"] = "oi_order With Id = row-1 Does Not Exist" } }));
        using var host = Inline.Host(Update(""", "retryPolicy": { "type": "none" }""")).UseOpenApiConnection(dataverse);

        var run = await host.RunAsync(new JObject { ["id"] = "row-1" });

        var action = run.Action("Update_a_row");
        Assert.AreEqual(WorkflowStatus.Failed, action.Status);
        StringAssert.Contains(action.Error!.ToString(), "Does Not Exist");
        Assert.HasCount(1, dataverse.Calls);
    }

    [TestMethod]
    public async Task A_transient_connector_answer_is_retried_by_the_actions_policy()
    {
        var answers = new Queue<ConnectorResponse>([new ConnectorResponse(503), new ConnectorResponse(200, new JObject())]);
        var dataverse = new RecordingApi("shared_commondataserviceforapps", _ => answers.Dequeue());
        using var host = Inline.Host(Update(""", "retryPolicy": { "type": "fixed", "count": 2, "interval": "PT5S" }""")).UseOpenApiConnection(dataverse);

        var run = await host.RunAsync(new JObject { ["id"] = "row-1" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Update_a_row").Status, run.Describe());
        Assert.HasCount(2, dataverse.Calls);
    }

    [TestMethod]
    public async Task A_webhook_trigger_subscribes_with_its_parameters_and_each_event_starts_a_run_with_the_row_as_trigger_body()
    {
        const string trigger = $$"""
            { "When_a_row_is_added": { "type": "OpenApiConnectionWebhook", "inputs": {
                "host": { "apiId": "{{Dataverse}}", "connectionName": "shared_commondataserviceforapps", "operationId": "SubscribeWebhookTrigger" },
                "parameters": { "subscriptionRequest/message": 1, "subscriptionRequest/entityname": "oi_order", "subscriptionRequest/scope": 4 } } } }
            """;
        var dataverse = new RecordingApi("shared_commondataserviceforapps", _ => new ConnectorResponse(200));
        using var host = Inline.Host("""{ "Order": { "type": "Compose", "runAfter": {}, "inputs": "@triggerBody()?['oi_ordernumber']" } }""", trigger)
            .UseOpenApiConnection(dataverse);
        using var stop = new CancellationTokenSource();
        var listening = host.Engine.StartTriggersAsync(stop.Token);

        await dataverse.Subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await dataverse.FireAsync(new JObject { ["headers"] = new JObject(), ["body"] = new JObject { ["oi_ordernumber"] = "100482" } });
        await host.Engine.WhenIdleAsync();
        await stop.CancelAsync();
        await listening;

        var subscription = dataverse.Subscriptions.Single();
        Assert.AreEqual("SubscribeWebhookTrigger", subscription.OperationId);
        Assert.AreEqual("oi_order", subscription.Parameters.Value<string>("subscriptionRequest/entityname"));
        Assert.AreEqual(1, subscription.Parameters.Value<int>("subscriptionRequest/message"));
        var run = host.History.Query(new RunQuery(WorkflowName: Inline.Name)).Single();
        Assert.AreEqual("100482", (string?)run.Action("Order").Outputs);
    }

    [TestMethod]
    public void A_connector_action_without_its_operation_is_refused_when_the_workflow_loads()
    {
        var error = Assert.Throws<LogicAppLoadException>(() => Inline.Host(Update().Replace("\"operationId\": \"UpdateRecord\"", "\"operation\": \"UpdateRecord\"")));

        StringAssert.Contains(error.Message, "inputs.host.operationId is missing");
    }

    [TestMethod]
    public async Task An_http_action_with_ActiveDirectoryOAuth_sends_the_token_of_its_client_for_its_audience()
    {
        const string call = """
            { "Post": { "type": "Http", "runAfter": {}, "inputs": { "method": "POST", "uri": "https://intake.example/api/orders", "body": {},
                "authentication": { "type": "ActiveDirectoryOAuth", "tenant": "contoso.onmicrosoft.com", "audience": "api://intake", "clientId": "client-a", "secret": "s3cret" } } } }
            """;
        var asked = new List<OAuthTokenRequest>();
        using var host = Inline.Host(call).UseAccessTokens((request, _) => { asked.Add(request); return Task.FromResult("token-for-" + request.ClientId); });
        host.Http.Then(202);

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.AreEqual("Bearer token-for-client-a", host.Http.Requests.Single().Headers["Authorization"]);
        Assert.AreEqual(new OAuthTokenRequest(null, "contoso.onmicrosoft.com", "api://intake", "client-a", "s3cret"), asked.Single());
    }

    [TestMethod]
    public async Task An_http_action_whose_token_cannot_be_had_fails_without_sending_the_request()
    {
        const string call = """
            { "Post": { "type": "Http", "runAfter": {}, "inputs": { "method": "POST", "uri": "https://intake.example/api/orders",
                "authentication": { "type": "ActiveDirectoryOAuth", "tenant": "t", "audience": "api://intake", "clientId": "client-a", "secret": "wrong" } } } }
            """;
        using var host = Inline.Host(call).UseAccessTokens((_, _) => throw new InvalidOperationException("AADSTS7000215: Invalid client secret provided."));

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Post").Status);
        StringAssert.Contains(run.Action("Post").Error!.ToString(), "AADSTS7000215");
        Assert.IsEmpty(host.Http.Requests);
    }

    /// <summary>A connector that records calls and subscriptions and fires its webhook when told.</summary>
    private sealed class RecordingApi(string apiName, Func<OpenApiConnectionRequest, ConnectorResponse> answer) : IOpenApiConnectionBinding
    {
        private readonly ConcurrentQueue<OpenApiConnectionRequest> calls = new();
        private readonly ConcurrentQueue<OpenApiConnectionRequest> subscriptions = new();
        private Func<JObject, CancellationToken, Task>? fire;

        public string ApiName => apiName;
        public IReadOnlyList<OpenApiConnectionRequest> Calls => calls.ToArray();
        public IReadOnlyList<OpenApiConnectionRequest> Subscriptions => subscriptions.ToArray();
        public TaskCompletionSource Subscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FireAsync(JObject outputs) => fire!(outputs, CancellationToken.None);

        public Task<ConnectorResponse> InvokeAsync(OpenApiConnectionRequest request, CancellationToken cancellationToken)
        {
            calls.Enqueue(request);
            return Task.FromResult(answer(request));
        }

        public async Task RunWebhookTriggerAsync(OpenApiConnectionRequest trigger, Func<JObject, CancellationToken, Task> fire, CancellationToken cancellationToken)
        {
            subscriptions.Enqueue(trigger);
            this.fire = fire;
            Subscribed.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
