using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Teams;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class When_Teams_is_posted_a_card_it_accepts_only_adaptive_cards
{
    private const string Path = "/v1.0/teams/conversation/adaptivecard/poster/Flow bot/location/Channel";

    [TestMethod]
    public async Task An_adaptive_card_to_a_channel_is_recorded_and_answered_with_a_message_id()
    {
        await using var teams = new TeamsStandIn();
        var card = new JObject { ["type"] = "AdaptiveCard", ["version"] = "1.4", ["body"] = new JArray(new JObject { ["type"] = "TextBlock", ["text"] = "Dead letter in sap-fulfillment" }) };

        var response = await teams.SendAsync(StandInRequest.Json("POST", Path, Body(card.ToString())));

        Assert.AreEqual(200, response.StatusCode);
        Assert.IsFalse(string.IsNullOrEmpty(response.Body!.Value<string>("id")));
        Assert.HasCount(1, teams.PostedCards);
        StringAssert.Contains(teams.PostedCards[0].Text, "Dead letter in sap-fulfillment");
    }

    [TestMethod]
    public async Task A_message_body_that_is_not_an_adaptive_card_is_rejected()
    {
        await using var teams = new TeamsStandIn();

        var notJson = await teams.SendAsync(StandInRequest.Json("POST", Path, Body("{not json")));
        var messageCard = await teams.SendAsync(StandInRequest.Json("POST", Path, Body("{\"@type\":\"MessageCard\"}")));

        Assert.AreEqual(400, notJson.StatusCode);
        Assert.AreEqual(400, messageCard.StatusCode);
        Assert.IsEmpty(teams.PostedCards);
    }

    private static JObject Body(string messageBody) => new()
    {
        ["recipient"] = new JObject { ["groupId"] = "team-1", ["channelId"] = "19:ops@thread.tacv2" },
        ["messageBody"] = messageBody,
    };
}
