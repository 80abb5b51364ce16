using OrderEvents.CustomCode.Mapping.Sms;
using static OrderEvents.CustomCode.Tests.Mapping.Sms.SentSmsLists;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

[TestClass]
public sealed class When_Twilio_lists_an_SMS_with_the_same_number_and_text_it_is_the_one_already_sent
{
    [TestMethod]
    public void The_message_is_found_with_its_sid_and_when_Twilio_created_it()
    {
        var search = SentSmsFinder.Find(SmsToSend(), Listed(Message("SM2", body: "something else"), Message("SM1")), EarlierAttemptStartedUtc);

        Assert.IsTrue(search.Found);
        Assert.AreEqual("SM1", search.TwilioMessageSid);
        Assert.AreEqual("2026-03-02T08:15:02.0000000Z", search.CreatedUtc);
        Assert.AreEqual(2, search.Listed);
        Assert.IsNull(search.Reason);
    }

    [TestMethod]
    public void The_text_with_Twilios_trial_account_prefix_counts_as_the_same_text()
    {
        var search = SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", body: "Sent from your Twilio trial account - " + Text)), EarlierAttemptStartedUtc);

        Assert.IsTrue(search.Found);
        Assert.AreEqual("SM1", search.TwilioMessageSid);
    }

    [TestMethod]
    public void Of_two_copies_the_newest_listed_one_is_taken()
    {
        var search = SentSmsFinder.Find(SmsToSend(), Listed(Message("SM2", "Mon, 02 Mar 2026 08:16:00 +0000"), Message("SM1")), EarlierAttemptStartedUtc);

        Assert.AreEqual("SM2", search.TwilioMessageSid);
    }
}
