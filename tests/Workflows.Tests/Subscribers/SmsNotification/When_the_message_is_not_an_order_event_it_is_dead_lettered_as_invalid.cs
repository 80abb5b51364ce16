using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_the_message_is_not_an_order_event_it_is_dead_lettered_as_invalid
{
    [TestMethod]
    public async Task Garbage_content_is_dead_lettered_with_reason_InvalidMessage_and_no_SMS_is_sent()
    {
        using var scenario = new WorkflowScenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("garbage-1", "<xml>not an order</xml>", contentType: "application/xml"));

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("deadLetterTopicMessageV2", settlement.Operation);
        Assert.AreEqual("sms-notification", settlement.Parameters.Value<string>("subscriptionName"));
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        StringAssert.StartsWith(settlement.DeadLetterErrorDescription, "The message breaks the contract: ");
        Assert.AreEqual(0, scenario.Twilio.Count);
    }

    [TestMethod]
    public async Task A_phone_number_that_is_not_E164_is_named_in_the_dead_letter_description()
    {
        using var scenario = new WorkflowScenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("order-100482-created-v1", Project.Sample("invalid/phone-not-e164.json")));

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        StringAssert.Contains(scenario.Bus.SettlementsOf(delivery).Single().DeadLetterErrorDescription, "$.data.customer.phone");
        Assert.AreEqual(0, scenario.Twilio.Count);
    }
}
