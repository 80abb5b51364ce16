using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_the_customer_has_not_opted_in_no_SMS_is_sent
{
    [TestMethod]
    public async Task Twilio_is_not_called_and_the_message_is_completed_as_skipped()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json", e => e["data"]!["customer"]!["smsOptIn"] = false);

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Skipped", run.Outcome());
        Assert.AreEqual(0, scenario.Twilio.Count);
        Assert.AreEqual("completeTopicMessageV2", scenario.Bus.SettlementsOf(delivery).Single().Operation);
        var record = await scenario.IdempotencyRecord("sms-notification", "order-100482-created-v1");
        Assert.IsFalse(record!["result"]!.Value<bool>("sent"));
        Assert.IsFalse(string.IsNullOrEmpty(record["result"]!.Value<string>("skipReason")));
    }

    [TestMethod]
    public async Task A_customer_without_phone_or_opt_in_gets_no_SMS_either()
    {
        using var scenario = new WorkflowScenario();

        var run = await scenario.DeliverAsync("SmsNotification", await scenario.Delivery("valid/OrderCreated.customer-without-phone-or-opt-in.json"));

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Skipped", run.Outcome());
        Assert.AreEqual(0, scenario.Twilio.Count);
    }
}
