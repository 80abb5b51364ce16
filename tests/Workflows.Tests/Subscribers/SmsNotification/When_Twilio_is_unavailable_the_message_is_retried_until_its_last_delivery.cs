using Workflows.Runtime.Bindings;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_Twilio_is_unavailable_the_message_is_retried_until_its_last_delivery
{
    private static readonly Dictionary<string, string> MaxTwoDeliveries = new() { ["Orders_SmsNotificationMaxDeliveryCount"] = "2" };
    private static readonly ConnectorResponse Unavailable = new(503, new Newtonsoft.Json.Linq.JObject { ["code"] = 20503, ["message"] = "Service unavailable" });

    [TestMethod]
    public async Task The_action_retries_twice_then_the_message_is_abandoned_and_its_claim_released()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.AnswerTwilioWith(Unavailable, times: 3);
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        run.ShouldHaveFailedWith("TransientFailure");
        Assert.AreEqual(3, scenario.Twilio.Count, "the first attempt and the policy's two retries");
        Assert.IsTrue(scenario.Host.Clock.Waits.All(w => w >= TimeSpan.FromSeconds(10) && w <= TimeSpan.FromSeconds(30)), string.Join(", ", scenario.Host.Clock.Waits));
        Assert.AreEqual("abandonTopicMessageV2", scenario.Bus.SettlementsOf(delivery).Single().Operation);
        Assert.IsNull(await scenario.IdempotencyRecord("sms-notification", "order-100482-created-v1"));
    }

    [TestMethod]
    public async Task The_last_delivery_is_dead_lettered_as_TransientFailureExhausted()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.AnswerTwilioWith(Unavailable, times: 6);
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("SmsNotification", first);
        var last = scenario.Bus.Redeliver(first);

        var run = await scenario.DeliverAsync("SmsNotification", last);

        run.ShouldHaveFailedWith("TransientFailure");
        var settlement = scenario.Bus.SettlementsOf(last).Single();
        Assert.AreEqual("deadLetterTopicMessageV2", settlement.Operation);
        Assert.AreEqual("TransientFailureExhausted", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "Send_SMS ended Failed with HTTP 503");
    }

    [TestMethod]
    public async Task A_number_Twilio_refuses_is_dead_lettered_at_once_as_DownstreamRejected()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.AnswerTwilioWith(new ConnectorResponse(400, new Newtonsoft.Json.Linq.JObject { ["code"] = 21211, ["message"] = "The 'To' number is not a valid phone number." }));
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SmsNotification", delivery);

        run.ShouldHaveFailedWith("DownstreamRejected");
        Assert.AreEqual(1, scenario.Twilio.Count, "a 400 is not retried");
        Assert.AreEqual("DownstreamRejected", scenario.Bus.SettlementsOf(delivery).Single().DeadLetterReason);
    }
}
