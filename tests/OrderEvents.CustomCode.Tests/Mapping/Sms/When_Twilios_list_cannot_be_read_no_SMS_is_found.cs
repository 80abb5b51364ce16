using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sms;
using static OrderEvents.CustomCode.Tests.Mapping.Sms.SentSmsLists;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

/// <summary>A failed List Messages call hands over Twilio's error body (or nothing): nothing is found, and the workflow
/// sends as it would have without the check. Input that cannot be searched is said so, without throwing.</summary>
[TestClass]
public sealed class When_Twilios_list_cannot_be_read_no_SMS_is_found
{
    [TestMethod]
    public void An_error_body_finds_nothing_and_says_why()
    {
        var search = SentSmsFinder.Find(SmsToSend(), new JObject { ["code"] = 20503, ["message"] = "Service unavailable", ["status"] = 503 }, EarlierAttemptStartedUtc);

        Assert.IsFalse(search.Found);
        Assert.AreEqual("Twilio's list of messages could not be read (the call failed or answered no 'messages' array).", search.Reason);
        Assert.IsEmpty(search.Errors);
    }

    [TestMethod]
    public void No_body_at_all_finds_nothing()
    {
        Assert.IsFalse(SentSmsFinder.Find(SmsToSend(), null, EarlierAttemptStartedUtc).Found);
    }

    [TestMethod]
    public void An_SMS_without_a_number_is_reported_as_an_error()
    {
        var search = SentSmsFinder.Find(new JObject { ["body"] = Text }, Listed(Message("SM1")), EarlierAttemptStartedUtc);

        Assert.IsFalse(search.Found);
        Assert.AreEqual("MissingTo", search.Errors.Single().Code);
    }

    [TestMethod]
    public void An_earlier_attempt_time_that_is_not_a_date_is_reported_as_an_error()
    {
        var search = SentSmsFinder.Find(SmsToSend(), Listed(Message("SM1")), "soon");

        Assert.IsFalse(search.Found);
        Assert.AreEqual("InvalidDate", search.Errors.Single().Code);
    }
}
