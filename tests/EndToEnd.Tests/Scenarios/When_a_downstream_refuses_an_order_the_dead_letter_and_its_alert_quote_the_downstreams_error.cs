using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Twilio;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Scenarios;

/// <summary>Twilio's 400 and the warehouse's 422 are quoted in the dead letter and the Teams card: Twilio's code and
/// message, the warehouse's problem details (code, title, detail), with the customer's phone number masked.</summary>
[TestClass]
public sealed class When_a_downstream_refuses_an_order_the_dead_letter_and_its_alert_quote_the_downstreams_error
{
    [TestMethod]
    public async Task The_warehouses_problem_details_reach_the_dead_letter_and_the_card()
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        app.Host.Warehouse.RemoveSku("MAT-2040");

        await app.PublishAsync(LocalApp.Order("E2E-7001"));
        await app.SettledAsync();

        var description = DeadLetterDescription(app, "WarehouseInventoryDeadLetters", "E2E-7001-ordercreated-v1");
        StringAssert.Contains(description, "Call_the_warehouse_API ended Failed with HTTP 422: downstream error UnknownSku: Unknown SKU: The warehouse does not stock: MAT-2040");
        var card = app.Host.Teams.PostedCards.Single(c => c.Text.Contains("warehouse-inventory", StringComparison.Ordinal)).Text;
        StringAssert.Contains(card, "downstream error UnknownSku: Unknown SKU: The warehouse does not stock: MAT-2040");
    }

    [TestMethod]
    public async Task Twilios_code_and_message_reach_the_dead_letter_and_the_card_without_the_phone_number()
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        app.Host.Twilio.Faults.FailNext(1, HttpFault.Reject(400, new JObject
        {
            ["code"] = 21211, ["message"] = "The 'To' number +4915112345678 is not a valid phone number.",
            ["more_info"] = "https://www.twilio.com/docs/errors/21211", ["status"] = 400,
        }), TwilioStandIn.SendMessageOperation);

        await app.PublishAsync(LocalApp.Order("E2E-7002"));
        await app.SettledAsync();

        var description = DeadLetterDescription(app, "SmsNotificationDeadLetters", "E2E-7002-ordercreated-v1");
        StringAssert.Contains(description, "Send_SMS ended Failed with HTTP 400: downstream error 21211: The 'To' number +49********678 is not a valid phone number.");
        var card = app.Host.Teams.PostedCards.Single(c => c.Text.Contains("sms-notification", StringComparison.Ordinal)).Text;
        StringAssert.Contains(card, "downstream error 21211: The 'To' number +49");
        Assert.DoesNotContain("4915112345678", card);
        Assert.DoesNotContain("4915112345678", description);
    }

    /// <summary>The DeadLetterErrorDescription of the dead letter the alert workflow received.</summary>
    private static string DeadLetterDescription(LocalApp app, string alertWorkflow, string messageId)
    {
        var alert = app.RunsOf(alertWorkflow, messageId).Single();
        return ((JObject)alert.Trigger.Outputs)["body"]!["userProperties"]!.Value<string>("DeadLetterErrorDescription")!;
    }
}
