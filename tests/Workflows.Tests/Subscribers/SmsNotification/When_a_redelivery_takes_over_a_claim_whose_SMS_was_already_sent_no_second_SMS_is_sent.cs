using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

/// <summary>
/// The first attempt's host died after Twilio accepted the SMS and before the claim was completed; nobody resumed it.
/// The redelivery takes the claim over after its lease, asks Twilio for the messages sent to the number (List Messages),
/// finds this SMS there and does not send it again: the customer gets one SMS, and the record keeps its sid.
/// </summary>
[TestClass]
public sealed class When_a_redelivery_takes_over_a_claim_whose_SMS_was_already_sent_no_second_SMS_is_sent
{
    [TestMethod]
    public async Task Twilio_is_asked_once_and_the_SMS_is_not_sent_again()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await TakeoverSupport.FirstAttemptDiesDuringTheSend(scenario, afterTwilioAccepted: true);

        var run = await TakeoverSupport.RedeliverAfterTheLeaseAsync(scenario, delivery);

        run.ShouldHaveSucceeded();
        Assert.HasCount(1, scenario.TwilioAccepted, "one SMS for the customer");
        Assert.HasCount(1, scenario.TwilioSends, "the first attempt's send only");
        var list = scenario.TwilioLists.Single();
        Assert.AreEqual("+4915112345678", list.Queries?.Value<string>("To"));
        Assert.AreEqual("/Messages.json", list.Path);
        Assert.AreEqual("Succeeded", run.Outcome());
    }

    [TestMethod]
    public async Task The_message_completes_and_the_claim_keeps_the_sid_Twilio_gave_the_first_attempt()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await TakeoverSupport.FirstAttemptDiesDuringTheSend(scenario, afterTwilioAccepted: true);
        var firstSid = scenario.TwilioAccepted.Single().Value<string>("sid");

        var run = await TakeoverSupport.RedeliverAfterTheLeaseAsync(scenario, delivery);

        Assert.AreEqual(firstSid, run.Succeeded("Find_the_SMS_already_sent").TrackedProperties!.Value<string>("twilioMessageSid"));
        Assert.AreEqual(firstSid, run.Action("Decide_settlement").Inputs?["parameters"]?["result"]?.Value<string>("twilioMessageSid"));
        var record = await scenario.IdempotencyRecord("sms-notification", Subscriber.MessageId);
        Assert.AreEqual("Completed", record?.Value<string>("state"));
        Assert.AreEqual(firstSid, record!["result"]!.Value<string>("twilioMessageSid"));
        Assert.AreEqual("completeTopicMessageV2", scenario.Bus.Settlements.Last().Operation);
    }
}
