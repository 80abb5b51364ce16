using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Twilio;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class When_Twilio_is_sent_a_message_it_answers_like_Twilio
{
    [TestMethod]
    public async Task A_valid_message_is_queued_with_a_message_sid_and_its_segment_count()
    {
        await using var twilio = new TwilioStandIn();

        var response = await twilio.SendAsync(StandInRequest.Json("POST", "/Messages.json",
            new JObject { ["from"] = "+15005550006", ["to"] = "+4915112345678", ["body"] = new string('a', 161) }));

        Assert.AreEqual(201, response.StatusCode);
        StringAssert.Matches(response.Body!.Value<string>("sid"), new System.Text.RegularExpressions.Regex("^SM[0-9a-f]{32}$"));
        Assert.AreEqual("queued", response.Body!.Value<string>("status"));
        Assert.AreEqual("2", response.Body!.Value<string>("num_segments"));
    }

    [TestMethod]
    public async Task A_recipient_that_is_not_E164_is_rejected_with_error_21211_and_nothing_is_sent()
    {
        await using var twilio = new TwilioStandIn();

        var response = await twilio.SendAsync(StandInRequest.Json("POST", "/Messages.json",
            new JObject { ["from"] = "+15005550006", ["to"] = "0151 1234567", ["body"] = "hi" }));

        Assert.AreEqual(400, response.StatusCode);
        Assert.AreEqual(21211, response.Body!.Value<int>("code"));
        Assert.IsEmpty(twilio.SentMessages);
    }

    [TestMethod]
    [DataRow(160, 'ü', "1")] // ü is in the GSM-7 alphabet: 160 fit one segment
    [DataRow(70, 'ł', "1")]  // ł is not: UCS-2, 70 in one segment
    [DataRow(71, 'ł', "2")]
    public async Task Text_outside_GSM_7_takes_UCS_2_segments_of_70_characters(int length, char letter, string segments)
    {
        await using var twilio = new TwilioStandIn();

        var response = await twilio.SendAsync(StandInRequest.Json("POST", "/Messages.json",
            new JObject { ["from"] = "+15005550006", ["to"] = "+4915112345678", ["body"] = new string(letter, length) }));

        Assert.AreEqual(segments, response.Body!.Value<string>("num_segments"));
    }
}
