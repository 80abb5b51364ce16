using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Messaging;

/// <summary>The functions as a workflow's InvokeFunction action sees them: bound by name, results camelCase.</summary>
[TestClass]
public sealed class When_workflows_invoke_the_contract_functions_by_name_the_results_have_the_agreed_shape
{
    private static readonly FunctionCatalog Catalog = new(new OrderEventFunctions(Services.InMemory()));

    [TestMethod]
    public async Task ValidateOrderEvent_returns_the_agreed_body()
    {
        var body = await Catalog.InvokeAsync("ValidateOrderEvent", new JObject { ["orderEvent"] = Samples.ValidEvent() });

        CollectionAssert.AreEquivalent(new[] { "isValid", "errors", "eventType", "schemaVersion", "messageId", "correlationId", "orderId" },
            ((JObject)body).Properties().Select(p => p.Name).ToArray());
        Assert.IsTrue((bool)body["isValid"]!);
        Assert.AreEqual("100482", (string?)body["orderId"]);
    }

    [TestMethod]
    public async Task ValidateOrderEvent_of_json_null_reports_the_root_instead_of_failing()
    {
        var body = await Catalog.InvokeAsync("ValidateOrderEvent", new JObject { ["orderEvent"] = JValue.CreateNull() });

        Assert.IsFalse((bool)body["isValid"]!);
        Assert.AreEqual("$", (string?)body["errors"]![0]!["path"]);
        Assert.AreEqual("WrongType", (string?)body["errors"]![0]!["code"]);
        Assert.IsNotNull((string?)body["errors"]![0]!["message"]);
    }

    [TestMethod]
    public async Task BuildServiceBusMessage_returns_the_message_object_of_the_sendMessage_action()
    {
        var body = await Catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = Samples.ValidEvent(), ["correlationId"] = "intake-1" });

        CollectionAssert.AreEquivalent(new[] { "isValid", "errors", "message", "claimCheck", "payloadReference" }, ((JObject)body).Properties().Select(p => p.Name).ToArray());
        var message = (JObject)body["message"]!;
        CollectionAssert.AreEquivalent(new[] { "contentData", "contentType", "messageId", "correlationId", "sessionId", "userProperties" }, message.Properties().Select(p => p.Name).ToArray());
        Assert.AreEqual("application/json", (string?)message["contentType"]);
        Assert.AreEqual("intake-1", (string?)message["correlationId"]);
        Assert.AreEqual(JTokenType.Object, message["contentData"]!.Type);
        Assert.AreEqual(JTokenType.Boolean, message["userProperties"]!["smsOptIn"]!.Type);
        Assert.AreEqual("OrderCreated", (string?)message["userProperties"]!["eventType"]);
    }

    [TestMethod]
    public async Task What_BuildServiceBusMessage_sends_ReadOrderMessage_reads()
    {
        var built = await Catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = Samples.ValidEvent("OrderCancelled.with-reason") });
        var read = await Catalog.InvokeAsync("ReadOrderMessage", new JObject { ["contentData"] = built["message"]!["contentData"], ["contentType"] = built["message"]!["contentType"] });

        CollectionAssert.AreEquivalent(new[] { "isValid", "errors", "orderEvent", "messageId", "correlationId", "eventType", "orderId", "schemaVersion", "claimCheck" },
            ((JObject)read).Properties().Select(p => p.Name).ToArray());
        Assert.IsTrue((bool)read["isValid"]!);
        Assert.AreEqual("OrderCancelled", (string?)read["eventType"]);
        Assert.AreEqual("Customer changed their mind – ordered twice by mistake.", (string?)read["orderEvent"]!["data"]!["cancellationReason"]);
    }

    [TestMethod]
    public async Task ReadOrderMessage_of_garbage_returns_a_result_not_a_failure()
    {
        var read = await Catalog.InvokeAsync("ReadOrderMessage", new JObject { ["contentData"] = "\u0000\u0001garbage" });

        Assert.IsFalse((bool)read["isValid"]!);
        Assert.AreEqual("ContentNotJson", (string?)read["errors"]![0]!["code"]);
    }
}
