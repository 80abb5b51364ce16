using OrderEvents.CustomCode.Mapping.Sms;
using static OrderEvents.CustomCode.Tests.Mapping.Sms.SentSmsLists;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

[TestClass]
public sealed class When_a_listed_SMS_went_elsewhere_or_says_something_else_it_is_not_this_one
{
    [TestMethod]
    public void A_message_to_another_number_is_ignored()
    {
        var search = SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", to: "+4915187654321")), EarlierAttemptStartedUtc);

        Assert.IsFalse(search.Found);
        Assert.IsNull(search.TwilioMessageSid);
        Assert.AreEqual("None of the 1 messages Twilio lists for the number is this SMS created since the earlier attempt began.", search.Reason);
    }

    [TestMethod]
    public void A_message_from_another_sender_is_ignored()
    {
        Assert.IsFalse(SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", from: "+15005550007")), EarlierAttemptStartedUtc).Found);
    }

    [TestMethod]
    [DataRow("Hi Anna, thank you for your order 100483.", DisplayName = "another order's text")]
    [DataRow("Hi Anna, thank you for your order 100482", DisplayName = "the text cut short")]
    [DataRow("Sent from your Twilio trial account - Hi Anna, thank you for your order 100483.", DisplayName = "another text behind the trial prefix")]
    [DataRow("hi anna, thank you for your order 100482.", DisplayName = "other letter case")]
    public void A_message_with_other_text_is_ignored(string listedText)
    {
        Assert.IsFalse(SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", body: listedText)), EarlierAttemptStartedUtc).Found);
    }
}
