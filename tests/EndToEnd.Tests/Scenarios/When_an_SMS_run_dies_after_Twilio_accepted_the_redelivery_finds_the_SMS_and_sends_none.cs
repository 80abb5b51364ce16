using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;
using Workflows.Runtime;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Scenarios;

/// <summary>
/// The host died right after Twilio accepted the SMS, and the run is never resumed. Once the claim's lease (900 s,
/// parameters.json) and the message's lock (PT1M) are over, the redelivery takes the claim over, asks the Twilio stand-in
/// for the messages sent to the number through the real managed-connector binding (List Messages, <c>GET /Messages.json</c>),
/// finds the SMS and sends none: the customer has one SMS, and the message completes.
/// </summary>
[TestClass]
public sealed class When_an_SMS_run_dies_after_Twilio_accepted_the_redelivery_finds_the_SMS_and_sends_none
{
    private const string MessageId = "E2E-SMS-1-ordercreated-v1";

    [TestMethod]
    public async Task The_customer_gets_one_SMS_and_the_message_completes()
    {
        await using var app = await LocalApp.StartAsync(new ManualClock());
        var died = 0;
        app.Host.Twilio.Sent += _ =>
        {
            if (Interlocked.Exchange(ref died, 1) == 1) return;
            // The stand-in answers on its own server: find the sending run in the history, not on this thread.
            var sending = app.Host.History.Query(new RunQuery(WorkflowName: "SmsNotification", Status: WorkflowStatus.Running))
                .Single(r => SubscriberRuns.MessageIdOf(r) == MessageId);
            Assert.IsTrue(app.Host.Engine.Interrupt(sending), "the run sending the SMS is in flight");
            throw new OperationCanceledException("The host died after Twilio accepted the SMS (test).");
        };

        await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-SMS-1"));
        LocalApp.HoldUntil(() => app.Host.History.Unfinished().Count == 1, "the SmsNotification run is interrupted");
        LocalApp.HoldUntil(() => app.OnlyBusyWith("SmsNotification", "sms-notification"), "only SmsNotification is left with work");
        app.Clock!.Advance(TimeSpan.FromSeconds(900) + TimeSpan.FromSeconds(1)); // idempotencyLeaseSeconds; the lock (PT1M) is over too
        await app.RunsFinishedAsync("SmsNotification", MessageId, 1);

        Assert.AreEqual(1, app.EffectsFor("E2E-SMS-1").Sms, "one SMS for the customer");
        var redelivery = app.RunsOf("SmsNotification", MessageId).Single(r => r.IsCompleted);
        Assert.AreEqual("Succeeded", LocalApp.ActionStatus(redelivery, "List_the_messages_sent_to_the_number"), app.Timeline("SmsNotification", MessageId));
        var found = SubscriberRuns.Body(redelivery, "Find_the_SMS_already_sent")!;
        Assert.IsTrue(found.Value<bool>("found"));
        Assert.AreEqual(app.Host.Twilio.SentMessages.Single().Sid, found.Value<string>("twilioMessageSid"));
        Assert.AreEqual("Skipped", LocalApp.ActionStatus(redelivery, "Send_SMS"));
        Assert.AreEqual("complete", LocalApp.Settlement(redelivery));
    }
}
