using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;

namespace OrderEvents.CustomCode.Tests.Mapping;

[TestClass]
public sealed class When_workflows_invoke_the_functions_by_name_the_results_have_the_agreed_shape
{
    private static Task<JToken> Invoke(string name, JObject parameters) =>
        new FunctionCatalog(OrderEventSamples.Functions()).InvokeAsync(name, parameters);

    private static void AssertHas(JToken result, params string[] properties)
    {
        foreach (var property in properties) Assert.IsNotNull(((JObject)result).Property(property), $"missing '{property}' in {result}");
    }

    [TestMethod]
    public async Task Each_mapping_function_answers_with_the_fields_named_in_the_team_contract()
    {
        var orderEvent = OrderEventSamples.Event();
        AssertHas(await Invoke("MapToSapSalesOrder", new JObject { ["orderEvent"] = orderEvent, ["salesOrganization"] = "1000", ["distributionChannel"] = "10", ["division"] = "00", ["documentType"] = "TA" }),
            "businessObject", "method", "body", "operation", "errors");
        AssertHas(await Invoke("MapToSms", new JObject { ["orderEvent"] = orderEvent }), "shouldSend", "skipReason", "to", "from", "body", "segments", "encoding");
        AssertHas(await Invoke("MapToWarehouseRequest", new JObject { ["orderEvent"] = orderEvent }), "shouldCall", "skipReason", "method", "path", "idempotencyKey", "body");
        AssertHas(await Invoke("DecideSettlement", new JObject { ["outcome"] = "TransientFailure", ["deliveryCount"] = "10", ["maxDeliveryCount"] = 10 }),
            "action", "deadLetterReason", "deadLetterErrorDescription", "explanation");
        AssertHas(await Invoke("BuildDeadLetterAlertCard", new JObject { ["subscriber"] = "lake-archive", ["deadLetter"] = new JObject() }), "card", "cardJson");
        AssertHas(await Invoke("ReadSapBapiResponse", new JObject { ["content"] = "<X/>" }), "salesDocument", "succeeded", "messages", "isTransient");
        AssertHas(await Invoke("RecordSapSalesOrder", new JObject { ["orderId"] = "SO-1", ["salesDocument"] = "1" }), "orderId", "salesDocument", "created");
        AssertHas(await Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-1" }), "found", "salesDocument");
        AssertHas(await Invoke("FindSmsAlreadySent", new JObject { ["sms"] = new JObject { ["to"] = "+4915112345678", ["body"] = "hi" }, ["listed"] = new JObject { ["messages"] = new JArray() } }),
            "found", "twilioMessageSid", "createdUtc", "listed", "reason", "errors");
    }

    [TestMethod]
    public async Task The_card_keeps_its_dollar_schema_key_and_the_warehouse_body_its_own_keys()
    {
        var card = await Invoke("BuildDeadLetterAlertCard", new JObject { ["subscriber"] = "lake-archive", ["deadLetter"] = new JObject() });
        var request = await Invoke("MapToWarehouseRequest", new JObject { ["orderEvent"] = OrderEventSamples.Event() });

        Assert.IsNotNull(card["card"]!["$schema"]);
        Assert.IsNotNull(request["body"]!["lines"]![0]!["sku"]);
    }
}
