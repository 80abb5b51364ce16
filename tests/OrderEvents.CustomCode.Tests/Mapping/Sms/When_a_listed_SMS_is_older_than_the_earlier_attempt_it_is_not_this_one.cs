using OrderEvents.CustomCode.Mapping.Sms;
using static OrderEvents.CustomCode.Tests.Mapping.Sms.SentSmsLists;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

/// <summary>The same text to the same number may have been sent for an earlier event (an order updated twice the same
/// way): only a message Twilio created since the earlier attempt began counts, less two minutes for the clocks.</summary>
[TestClass]
public sealed class When_a_listed_SMS_is_older_than_the_earlier_attempt_it_is_not_this_one
{
    [TestMethod]
    [DataRow("Mon, 02 Mar 2026 08:12:59 +0000", false, DisplayName = "2 min 1 s before the attempt began")]
    [DataRow("Mon, 02 Mar 2026 08:13:00 +0000", true, DisplayName = "2 min before: within the clock allowance")]
    [DataRow("Mon, 02 Mar 2026 09:13:00 +0100", true, DisplayName = "the same instant written with another offset")]
    [DataRow("Mon, 02 Mar 2026 08:30:00 +0000", true, DisplayName = "after the attempt began")]
    public void Only_a_message_created_since_the_attempt_began_less_two_minutes_counts(string dateCreated, bool found)
    {
        Assert.AreEqual(found, SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", dateCreated)), EarlierAttemptStartedUtc).Found);
    }

    [TestMethod]
    public void A_message_without_a_readable_date_does_not_count_when_there_is_a_bound()
    {
        Assert.IsFalse(SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", "yesterday")), EarlierAttemptStartedUtc).Found);
    }

    [TestMethod]
    public void Without_the_time_the_earlier_attempt_began_any_date_counts()
    {
        Assert.IsTrue(SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1", "Sun, 01 Mar 2026 08:00:00 +0000")), null).Found);
    }
}
