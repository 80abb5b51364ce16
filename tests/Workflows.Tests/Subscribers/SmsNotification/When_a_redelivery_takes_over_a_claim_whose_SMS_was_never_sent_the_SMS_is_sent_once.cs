using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

/// <summary>
/// The first attempt's host died before Twilio accepted the SMS. The redelivery takes the claim over, finds nothing in
/// Twilio's list for the number and sends the SMS: once, as a first attempt would.
/// </summary>
[TestClass]
public sealed class When_a_redelivery_takes_over_a_claim_whose_SMS_was_never_sent_the_SMS_is_sent_once
{
    [TestMethod]
    public async Task The_SMS_is_sent_after_Twilio_listed_nothing_for_the_number()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await TakeoverSupport.FirstAttemptDiesDuringTheSend(scenario, afterTwilioAccepted: false);

        var run = await TakeoverSupport.RedeliverAfterTheLeaseAsync(scenario, delivery);

        run.ShouldHaveSucceeded();
        Assert.HasCount(1, scenario.TwilioAccepted, "one SMS for the customer");
        Assert.HasCount(1, scenario.TwilioLists);
        Assert.AreEqual("Succeeded", run.Outcome());
        var sent = run.Succeeded("Send_SMS");
        Assert.AreEqual(scenario.TwilioAccepted.Single().Value<string>("sid"), sent.TrackedProperties!.Value<string>("twilioMessageSid"));
        var record = await scenario.IdempotencyRecord("sms-notification", Subscriber.MessageId);
        Assert.AreEqual(scenario.TwilioAccepted.Single().Value<string>("sid"), record!["result"]!.Value<string>("twilioMessageSid"));
    }

    /// <summary>A list call that fails through its retries leaves the run as it was before there was a list: it sends.</summary>
    [TestMethod]
    public async Task A_list_call_that_keeps_failing_does_not_stop_the_SMS()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await TakeoverSupport.FirstAttemptDiesDuringTheSend(scenario, afterTwilioAccepted: false);
        scenario.AnswerTwilioWith(new ConnectorResponse(503, new Newtonsoft.Json.Linq.JObject { ["code"] = 20503, ["message"] = "Service unavailable" }), times: 3);

        var run = await TakeoverSupport.RedeliverAfterTheLeaseAsync(scenario, delivery);

        run.ShouldHaveSucceeded();
        Assert.HasCount(3, scenario.TwilioLists, "the list call and its two retries");
        Assert.IsFalse(run.Succeeded("Find_the_SMS_already_sent").Body()!.Value<bool>("found"));
        Assert.HasCount(1, scenario.TwilioAccepted);
        Assert.AreEqual("Succeeded", run.Outcome());
    }
}
