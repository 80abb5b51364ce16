using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// A built-in connector action's parameters point at the values they take whole (the intake hands the order it prepared
/// to Service Bus's sendMessage) instead of copying them (IServiceProviderBinding: a binding only reads its parameters).
/// The recorded inputs show the values, later actions read them unchanged, and a connector that changes its own copy
/// (the test host gives it one, as a connector in Azure runs outside the run) changes nothing of the run.
/// </summary>
[TestClass]
public sealed class When_a_connector_is_given_a_message_whole_its_recorded_inputs_show_it_and_its_changes_reach_nothing
{
    private static readonly JObject Connections = JObject.Parse("""
        { "serviceProviderConnections": { "bus": { "displayName": "orders", "parameterValues": { "fullyQualifiedNamespace": "orders.servicebus.windows.net" },
            "serviceProvider": { "id": "/serviceProviders/serviceBus" } } } }
        """);

    private const string Actions = """
        { "Prepare": { "type": "Compose", "runAfter": {}, "inputs": { "message": { "contentData": "@triggerBody()", "messageId": "@triggerBody()?['orderId']" } } },
          "Send": { "type": "ServiceProvider", "runAfter": { "Prepare": ["Succeeded"] }, "inputs": {
            "parameters": { "entityName": "orders", "message": "@outputs('Prepare')?['message']" },
            "serviceProviderConfiguration": { "connectionName": "bus", "operationId": "sendMessage", "serviceProviderId": "/serviceProviders/serviceBus" } } },
          "After": { "type": "Compose", "runAfter": { "Send": ["Succeeded"] }, "inputs": "@outputs('Prepare')?['message']?['contentData']" } }
        """;

    private static JObject Order() => new() { ["orderId"] = "o-9", ["lines"] = new JArray(new JObject { ["sku"] = "A", ["qty"] = 1 }) };

    [TestMethod]
    public async Task The_send_records_the_message_and_a_change_the_connector_makes_reaches_nothing()
    {
        using var host = Inline.Host(Actions, connections: Connections);
        JToken? sent = null;
        host.ServiceProvider("/serviceProviders/serviceBus").On("sendMessage", request =>
        {
            sent = request.Parameters["message"]?["contentData"]?.DeepClone();
            ((JObject)request.Parameters["message"]!["contentData"]!)["orderId"] = "changed by the connector";
            return new ConnectorResponse(200);
        });

        var run = await host.RunAsync(Order());

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.IsTrue(JToken.DeepEquals(Order(), sent), $"what the connector got: {sent}");
        var inputs = (JObject)run.Action("Send").Inputs!;
        Assert.IsTrue(JToken.DeepEquals(Order(), inputs["parameters"]?["message"]?["contentData"]), inputs.ToString());
        Assert.AreEqual("o-9", (string?)inputs["parameters"]?["message"]?["messageId"]);
        Assert.AreEqual("sendMessage", (string?)inputs["serviceProviderConfiguration"]?["operationId"]);
        Assert.IsTrue(JToken.DeepEquals(Order(), run.Action("After").Outputs), run.Action("After").Outputs?.ToString());
        Assert.IsTrue(JToken.DeepEquals(Order(), run.Action("Prepare").Outputs?["message"]?["contentData"]), run.Action("Prepare").Outputs?.ToString());
    }
}
