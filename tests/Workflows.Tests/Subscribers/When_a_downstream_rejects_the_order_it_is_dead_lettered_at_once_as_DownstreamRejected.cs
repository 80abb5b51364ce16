using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>A downstream that refuses the order (SAP's RETURN of type E, Twilio's 400, the warehouse's 422) is not
/// retried: the message is dead-lettered at once as DownstreamRejected, quoting the downstream's own error, and the
/// claim released. The lake has no rejection: it takes any order event.</summary>
[TestClass]
public sealed class When_a_downstream_rejects_the_order_it_is_dead_lettered_at_once_as_DownstreamRejected
{
    [TestMethod]
    [DataRow("SapFulfillment", "E V4/112: Sold-to party CUST-20417 does not exist", DisplayName = "SapFulfillment: a RETURN message of type E")]
    [DataRow("SmsNotification", "Send_SMS ended Failed with HTTP 400: downstream error 21211: The 'To' number +49********678 is not a valid phone number.",
        DisplayName = "SmsNotification: 400, not a valid phone number (quoted, the number masked)")]
    [DataRow("WarehouseInventory", "Call_the_warehouse_API ended Failed with HTTP 422: downstream error UnknownSku: Unknown SKU: The warehouse does not stock: MAT-2040.",
        DisplayName = "WarehouseInventory: 422, an unknown SKU (its problem details quoted)")]
    public async Task The_message_is_dead_lettered_naming_the_refusal_and_the_call_is_not_repeated(string workflow, string refusal)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        switch (workflow)
        {
            case "SapFulfillment":
                scenario.Sap.RejectNextCall("V4", "112", "Sold-to party CUST-20417 does not exist");
                break;
            case "SmsNotification":
                scenario.AnswerTwilioWith(new ConnectorResponse(400, new JObject
                {
                    ["code"] = 21211, ["message"] = "The 'To' number +4915112345678 is not a valid phone number.",
                    ["more_info"] = "https://www.twilio.com/docs/errors/21211", ["status"] = 400,
                }));
                break;
            default:
                // RFC 7807 problem details, as Artifacts/OpenApi/warehouse-inventory.openapi.json documents its 422.
                scenario.Warehouse.Then(422, """{"type":"https://warehouse.example/problems/unknown-sku","title":"Unknown SKU","status":422,"detail":"The warehouse does not stock: MAT-2040.","code":"UnknownSku"}""");
                break;
        }
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveFailedWith("DownstreamRejected");
        Assert.AreEqual(1, await subscriber.WorkDone(scenario), "a rejection is not retried");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual(subscriber.DeadLetter, settlement.Operation);
        Assert.AreEqual("DownstreamRejected", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, refusal);
        Assert.DoesNotContain("+4915112345678", settlement.DeadLetterErrorDescription!, "a phone number is never quoted in full");
        Assert.IsNull(await scenario.IdempotencyRecord(subscriber.Subscription, Subscriber.MessageId), "a rejected call releases its claim");
        if (workflow == "SapFulfillment") Assert.AreEqual(0, scenario.Sap.Committed.Count, "the connector's auto-commit rolls back a response with an error");
    }
}
