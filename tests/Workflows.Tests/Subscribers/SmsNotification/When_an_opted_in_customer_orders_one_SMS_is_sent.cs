using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_an_opted_in_customer_orders_one_SMS_is_sent
{
    [TestMethod]
    public async Task Twilio_gets_the_templated_text_for_the_customers_phone_from_the_configured_number()
    {
        using var scenario = new WorkflowScenario();

        var run = await scenario.DeliverAsync("SmsNotification", await scenario.Delivery("valid/OrderCreated.standard.json"));

        run.ShouldHaveSucceeded();
        var sms = scenario.Twilio.Single();
        Assert.AreEqual("+4915112345678", sms.Body?.Value<string>("to"));
        Assert.AreEqual("+15005550006", sms.Body?.Value<string>("from"));
        StringAssert.StartsWith(sms.Body?.Value<string>("body"), "Hi Anna, thank you for your order 100482");
        Assert.AreEqual(run.Action("Send_SMS").Body()?.Value<string>("sid"), run.Action("Send_SMS").TrackedProperties!.Value<string>("twilioMessageSid"));
    }

    [TestMethod]
    public async Task The_idempotency_record_keeps_the_Twilio_message_sid()
    {
        using var scenario = new WorkflowScenario();

        var run = await scenario.DeliverAsync("SmsNotification", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var record = await scenario.IdempotencyRecord("sms-notification", "order-100482-created-v1");
        Assert.AreEqual("Completed", record?.Value<string>("state"));
        Assert.IsTrue(record!["result"]!.Value<bool>("sent"));
        Assert.AreEqual(run.Action("Send_SMS").Body()?.Value<string>("sid"), record["result"]!.Value<string>("twilioMessageSid"));
    }
}
