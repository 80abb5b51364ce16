using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>Small inline workflows for the specifications: a Request trigger named 'manual' plus the given actions.</summary>
internal static class Inline
{
    public const string Name = "wf";

    public static WorkflowTestHost Host(string actions, string? trigger = null, JObject? connections = null, JObject? parameters = null,
        IReadOnlyDictionary<string, string>? appSettings = null, string? folder = null, string definitionExtras = "")
    {
        trigger ??= """{ "manual": { "type": "Request", "kind": "Http", "inputs": { "schema": {} } } }""";
        var json = $$"""
            {
              "definition": {
                "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                "contentVersion": "1.0.0.0",
                {{definitionExtras}}
                "triggers": {{trigger}},
                "actions": {{actions}},
                "outputs": {}
              },
              "kind": "Stateful"
            }
            """;
        return WorkflowTestHost.FromDefinition(Name, json, connections, parameters, appSettings, folder);
    }

    public static Task<Workflows.Runtime.History.WorkflowRun> RunAsync(this WorkflowTestHost host, JToken? body = null) =>
        host.RunAsync(Name, new JObject { ["headers"] = new JObject(), ["body"] = body ?? new JObject() });

    /// <summary>A Service Bus peek-lock trigger that debatches its messages (splitOn), on the connection <see cref="BusConnection"/>.</summary>
    public const string ServiceBusTrigger = """
        { "When_messages_are_available": { "type": "ServiceProvider", "splitOn": "@triggerOutputs()?['body']",
            "correlation": { "clientTrackingId": "@triggerBody()?['messageId']" },
            "inputs": { "parameters": { "topicName": "orders", "subscriptionName": "sap-fulfillment" },
              "serviceProviderConfiguration": { "connectionName": "bus", "operationId": "peekLockTopicMessagesV2", "serviceProviderId": "/serviceProviders/serviceBus" } } } }
        """;

    public static readonly JObject BusConnection = JObject.Parse("""
        { "serviceProviderConnections": { "bus": { "parameterValues": { "connectionString": "Endpoint=sb://local" }, "serviceProvider": { "id": "/serviceProviders/serviceBus" } } } }
        """);
}
