using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_an_opted_in_customer_orders_one_SMS_is_sent_and_the_message_is_completed
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
    public async Task The_message_is_completed_on_the_subscription_with_its_lock_token()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", run.ClientTrackingId);
        var settlement = scenario.Bus.Settlements.Single();
        Assert.AreEqual("completeTopicMessageV2", settlement.Operation);
        Assert.AreEqual("orders", settlement.Parameters.Value<string>("topicName"));
        Assert.AreEqual("sms-notification", settlement.Parameters.Value<string>("subscriptionName"));
        Assert.AreEqual(delivery.Value<string>("lockToken"), settlement.LockToken);
        Assert.IsTrue(settlement.Accepted);
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
