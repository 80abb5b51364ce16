using System.Globalization;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Twilio;
using Newtonsoft.Json.Linq;
using TestSupport;

namespace EndToEnd.Tests.StandIns;

/// <summary>The Twilio connector's "List Messages" (<c>GET /Messages.json</c>, To, From, DateSent, PageSize, Page) on the
/// stand-in: Twilio's list shape ("Read multiple Message resources", https://www.twilio.com/docs/messaging/api/message-resource)
/// from the messages it accepted.</summary>
[TestClass]
public sealed class When_Twilio_is_asked_for_the_messages_sent_to_a_number_it_lists_them_like_Twilio
{
    private const string Anna = "+4915112345678";
    private const string Ben = "+4915187654321";

    [TestMethod]
    public async Task The_messages_to_that_number_come_newest_first_as_Message_resources()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 8, 15, 30, TimeSpan.Zero));
        await using var twilio = new TwilioStandIn(clock);
        var first = await Send(twilio, Anna, "first");
        clock.Advance(TimeSpan.FromMinutes(1));
        await Send(twilio, Ben, "for someone else");
        var second = await Send(twilio, Anna, "second");

        var response = await twilio.SendAsync(List(("To", Anna)));

        Assert.AreEqual(200, response.StatusCode);
        var messages = (JArray)response.Body!["messages"]!;
        CollectionAssert.AreEqual(new[] { second, first }, messages.Select(m => m.Value<string>("sid")).ToArray());
        var newest = (JObject)messages[0];
        Assert.AreEqual(Anna, newest.Value<string>("to"));
        Assert.AreEqual("+15005550006", newest.Value<string>("from"));
        Assert.AreEqual("second", newest.Value<string>("body"));
        Assert.AreEqual("queued", newest.Value<string>("status"));
        Assert.AreEqual("Mon, 02 Mar 2026 08:16:30 +0000", newest.Value<string>("date_created"));
        Assert.AreEqual("Mon, 02 Mar 2026 08:15:30 +0000", messages[1].Value<string>("date_created"));
    }

    [TestMethod]
    public async Task A_page_holds_at_most_PageSize_messages_and_points_to_the_next()
    {
        await using var twilio = new TwilioStandIn(new ManualClock());
        for (var i = 0; i < 3; i++) await Send(twilio, Anna, "text " + i.ToString(CultureInfo.InvariantCulture));

        var first = (await twilio.SendAsync(List(("To", Anna), ("PageSize", "2")))).Body!;
        var second = (await twilio.SendAsync(List(("To", Anna), ("PageSize", "2"), ("Page", "1")))).Body!;

        Assert.HasCount(2, (JArray)first["messages"]!);
        Assert.AreEqual(0, first.Value<int>("page"));
        Assert.AreEqual(2, first.Value<int>("page_size"));
        Assert.AreEqual(0, first.Value<int>("start"));
        Assert.AreEqual(1, first.Value<int>("end"));
        StringAssert.Contains(first.Value<string>("next_page_uri"), "Page=1");
        Assert.IsNull(first.Value<string>("previous_page_uri"));
        Assert.AreEqual("text 0", second["messages"]!.Single().Value<string>("body"));
        Assert.IsNull(second.Value<string>("next_page_uri"));
    }

    [TestMethod]
    public async Task A_number_nothing_was_sent_to_lists_no_messages()
    {
        await using var twilio = new TwilioStandIn(new ManualClock());
        await Send(twilio, Anna, "hi");

        var response = await twilio.SendAsync(List(("To", Ben)));

        Assert.AreEqual(200, response.StatusCode);
        Assert.IsEmpty((JArray)response.Body!["messages"]!);
    }

    [TestMethod]
    public async Task A_PageSize_outside_1_to_1000_is_refused_with_a_clear_error()
    {
        await using var twilio = new TwilioStandIn(new ManualClock());

        var response = await twilio.SendAsync(List(("To", Anna), ("PageSize", "0")));

        Assert.AreEqual(400, response.StatusCode);
        StringAssert.Contains(response.Body!.Value<string>("message"), "PageSize");
    }

    [TestMethod]
    public async Task Messages_are_listed_even_when_the_stand_in_keeps_no_records()
    {
        await using var twilio = new TwilioStandIn(new ManualClock()) { KeepRecords = false };
        var sid = await Send(twilio, Anna, "hi");

        var response = await twilio.SendAsync(List(("To", Anna)));

        Assert.AreEqual(sid, response.Body!["messages"]!.Single().Value<string>("sid"));
    }

    private static async Task<string> Send(TwilioStandIn twilio, string to, string body)
    {
        var response = await twilio.SendAsync(StandInRequest.Json("POST", "/Messages.json", new JObject { ["from"] = "+15005550006", ["to"] = to, ["body"] = body }));
        Assert.AreEqual(201, response.StatusCode);
        return response.Body!.Value<string>("sid")!;
    }

    private static StandInRequest List(params (string Name, string Value)[] query) =>
        new("GET", "/Messages.json", query.ToDictionary(q => q.Name, q => q.Value, StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), "");
}
