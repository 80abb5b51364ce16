using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class ServiceProvider_Specs
{
    private static readonly JObject Connections = JObject.Parse("""
        {
          "serviceProviderConnections": {
            "serviceBusOrders": {
              "displayName": "orders",
              "parameterValues": { "fullyQualifiedNamespace": "@appsetting('serviceBusOrders_fullyQualifiedNamespace')", "authProvider": { "Type": "ManagedServiceIdentity" } },
              "serviceProvider": { "id": "/serviceProviders/serviceBus" } } },
          "managedApiConnections": {
            "twilio": { "api": { "id": "/subscriptions/x/providers/Microsoft.Web/locations/westeurope/managedApis/twilio" },
                        "connection": { "id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/connections/twilio" },
                        "connectionRuntimeUrl": "@appsetting('twilio_runtimeUrl')", "authentication": { "type": "ManagedServiceIdentity" } } }
        }
        """);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["serviceBusOrders_fullyQualifiedNamespace"] = "orders.servicebus.windows.net",
        ["twilio_runtimeUrl"] = "https://twilio.local/apim/twilio/1/",
        ["Orders_TopicName"] = "orders",
    };

    private const string Complete = """
        { "Complete": { "type": "ServiceProvider", "runAfter": {}, "inputs": {
            "parameters": { "topicName": "@appsetting('Orders_TopicName')", "subscriptionName": "sap-fulfillment", "lockToken": "@triggerBody()?['lockToken']" },
            "serviceProviderConfiguration": { "connectionName": "serviceBusOrders", "operationId": "completeTopicMessageV2", "serviceProviderId": "/serviceProviders/serviceBus" } } } }
        """;

    [TestMethod]
    public async Task The_action_is_dispatched_to_the_binding_with_resolved_connection_and_parameters()
    {
        using var host = Inline.Host(Complete, connections: Connections, appSettings: Settings);
        var bus = host.ServiceProvider("/serviceProviders/serviceBus").On("completeTopicMessageV2", _ => new ConnectorResponse(200));

        var run = await host.RunAsync(new JObject { ["lockToken"] = "lock-1" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Complete").Status, run.Describe());
        var call = bus.Calls.Single();
        Assert.AreEqual("completeTopicMessageV2", call.OperationId);
        Assert.AreEqual("serviceBusOrders", call.ConnectionName);
        Assert.AreEqual("Complete", call.OperationName);
        Assert.AreEqual("orders.servicebus.windows.net", call.Connection.Value<string>("fullyQualifiedNamespace"));
        Assert.AreEqual("lock-1", call.Parameters.Value<string>("lockToken"));
        Assert.AreEqual("orders", call.Parameters.Value<string>("topicName"));
    }

    [TestMethod]
    public async Task A_connector_error_response_fails_the_action_with_the_connectors_error()
    {
        using var host = Inline.Host(Complete.Replace("\"inputs\": {", "\"inputs\": { \"retryPolicy\": { \"type\": \"none\" },"), connections: Connections, appSettings: Settings);
        host.ServiceProvider("/serviceProviders/serviceBus").On("completeTopicMessageV2",
            _ => new ConnectorResponse(410, new JObject { ["error"] = new JObject { ["code"] = "MessageLockLost", ["message"] = "The lock supplied is invalid." } }));

        var run = await host.RunAsync(new JObject { ["lockToken"] = "lock-1" });

        var complete = run.Action("Complete");
        Assert.AreEqual(WorkflowStatus.Failed, complete.Status);
        Assert.AreEqual("Gone", complete.Code);
        Assert.AreEqual("MessageLockLost", complete.Error!.Value<string>("code"));
    }

    [TestMethod]
    public async Task A_built_in_connector_failure_gives_the_action_the_connectors_code_and_message()
    {
        using var host = Inline.Host(Complete.Replace("\"inputs\": {", "\"inputs\": { \"retryPolicy\": { \"type\": \"none\" },"), connections: Connections, appSettings: Settings);
        host.ServiceProvider("/serviceProviders/serviceBus").On("completeTopicMessageV2",
            _ => new ConnectorResponse(400, new JObject
            {
                ["code"] = "ServiceProviderActionFailed",
                ["message"] = "The service provider action failed with error code 'MessageLockLost' and error message 'The lock supplied is invalid.'.",
            }));

        var run = await host.RunAsync(new JObject { ["lockToken"] = "lock-1" });

        var error = run.Action("Complete").Error!;
        Assert.AreEqual("ServiceProviderActionFailed", error.Value<string>("code"));
        StringAssert.Contains(error.Value<string>("message"), "MessageLockLost");
    }

    [TestMethod]
    public async Task A_missing_binding_fails_the_action_naming_the_service_provider()
    {
        using var host = Inline.Host(Complete, connections: Connections, appSettings: Settings);
        var run = await host.RunAsync();

        StringAssert.Contains(run.Action("Complete").Error!.Value<string>("message"), "/serviceProviders/serviceBus");
    }

    [TestMethod]
    public async Task A_connection_whose_app_setting_is_missing_fails_the_action_that_uses_it()
    {
        using var host = Inline.Host(Complete, connections: Connections, appSettings: new Dictionary<string, string> { ["Orders_TopicName"] = "orders" });
        host.ServiceProvider("/serviceProviders/serviceBus").On("completeTopicMessageV2", _ => new ConnectorResponse(200));

        var run = await host.RunAsync();

        StringAssert.Contains(run.Action("Complete").Error!.Value<string>("message"), "serviceBusOrders_fullyQualifiedNamespace");
    }

    [TestMethod]
    public async Task Managed_connector_actions_are_dispatched_to_the_api_connection_binding()
    {
        using var host = Inline.Host("""
            { "Send_SMS": { "type": "ApiConnection", "runAfter": {}, "inputs": {
                "host": { "connection": { "referenceName": "twilio" } }, "method": "post", "path": "/Messages.json",
                "body": { "from": "+15550100", "to": "@triggerBody()?['phone']", "body": "Shipped" } } } }
            """, connections: Connections, appSettings: Settings);
        host.ApiConnections.On("twilio", "POST", "/Messages.json", r => new ConnectorResponse(201, new JObject { ["sid"] = "SM1" }));

        var run = await host.RunAsync(new JObject { ["phone"] = "+15550111" });

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Send_SMS").Status, run.Describe());
        Assert.AreEqual("Created", run.Action("Send_SMS").Code);
        Assert.AreEqual("SM1", run.Action("Send_SMS").Body()!.Value<string>("sid"));
        var call = host.ApiConnections.Calls.Single();
        Assert.AreEqual("+15550111", call.Body!.Value<string>("to"));
        Assert.AreEqual("https://twilio.local/apim/twilio/1/", call.Connection.Value<string>("connectionRuntimeUrl"));
    }
}
