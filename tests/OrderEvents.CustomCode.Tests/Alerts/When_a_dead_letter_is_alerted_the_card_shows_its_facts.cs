using OrderEvents.CustomCode.Tests.Mapping;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Alerts;

[TestClass]
public sealed class When_a_dead_letter_is_alerted_the_card_shows_its_facts
{
    internal static JObject DeadLetter(JToken? contentData = null) => new()
    {
        ["contentData"] = contentData ?? OrderEventSamples.Event(),
        ["contentType"] = "application/json",
        ["messageId"] = "order-100482-ordercreated-v1",
        ["correlationId"] = "corr-7f3a",
        ["deliveryCount"] = 10,
        ["enqueuedTimeUtc"] = "2024-05-01T09:30:05.123Z",
        ["sequenceNumber"] = 42,
        ["userProperties"] = new JObject
        {
            ["DeadLetterReason"] = "TransientFailureExhausted",
            ["DeadLetterErrorDescription"] = "Still failing after 10 deliveries (max 10). Last error: HTTP 503",
        },
    };

    private static string Fact(JObject card, string title) =>
        (string)card.SelectTokens("body[*].facts[*]").Single(f => (string?)f["title"] == title)["value"]!;

    [TestMethod]
    public void The_card_is_an_Adaptive_Card_1_5_with_all_facts()
    {
        var alert = OrderEventSamples.Functions().BuildDeadLetterAlertCard("sap-fulfillment", DeadLetter(), "https://portal.azure.com/#view/run/08585");

        Assert.AreEqual("AdaptiveCard", (string?)alert.Card["type"]);
        Assert.AreEqual("1.5", (string?)alert.Card["version"]);
        Assert.AreEqual("http://adaptivecards.io/schemas/adaptive-card.json", (string?)alert.Card["$schema"]);
        Assert.AreEqual("sap-fulfillment", Fact(alert.Card, "Subscriber"));
        Assert.AreEqual("SO-100482", Fact(alert.Card, "Order"));
        Assert.AreEqual("TransientFailureExhausted", Fact(alert.Card, "Reason"));
        Assert.AreEqual("10", Fact(alert.Card, "Delivery count"));
        Assert.AreEqual("corr-7f3a", Fact(alert.Card, "Correlation id"));
        Assert.AreEqual("2024-05-01T09:30:05Z", Fact(alert.Card, "Enqueued (UTC)"));
        StringAssert.Contains(alert.CardJson, "Still failing after 10 deliveries");
        var action = alert.Card["actions"]![0]!;
        Assert.AreEqual("Action.OpenUrl", (string?)action["type"]);
        Assert.AreEqual("https://portal.azure.com/#view/run/08585", (string?)action["url"]);
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(alert.CardJson)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        Assert.IsTrue(JToken.DeepEquals(alert.Card, JObject.Load(reader)), "cardJson is the card");
    }

    [TestMethod]
    public void The_order_id_is_found_in_every_content_shape_the_trigger_produces()
    {
        var functions = OrderEventSamples.Functions();
        var json = OrderEventSamples.Event().ToString();
        var base64 = new JObject { ["$content-type"] = "application/json; charset=utf-8", ["$content"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)) };

        Assert.AreEqual("SO-100482", Fact(functions.BuildDeadLetterAlertCard("x", DeadLetter(new JValue(json))).Card, "Order"));
        Assert.AreEqual("SO-100482", Fact(functions.BuildDeadLetterAlertCard("x", DeadLetter(base64)).Card, "Order"));
        Assert.AreEqual("(unknown)", Fact(functions.BuildDeadLetterAlertCard("x", DeadLetter(new JValue("not json"))).Card, "Order"));
        Assert.AreEqual("(unknown)", Fact(functions.BuildDeadLetterAlertCard("x", DeadLetter(new JObject { ["$content"] = "%%%" })).Card, "Order"));
    }

    [TestMethod]
    public void A_missing_or_malformed_dead_letter_still_gives_a_card()
    {
        foreach (var input in new JToken?[] { null, new JArray(), new JValue("x"), new JObject { ["userProperties"] = "oops", ["deliveryCount"] = new JObject() } })
        {
            var alert = OrderEventSamples.Functions().BuildDeadLetterAlertCard(null, input);

            Assert.AreEqual("(unknown)", Fact(alert.Card, "Reason"));
            Assert.AreEqual("(unknown)", Fact(alert.Card, "Subscriber"));
        }
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("http://portal.azure.com/run")]
    [DataRow("javascript:alert(1)")]
    [DataRow("https://user:pw@evil.example/run")]
    [DataRow("https://portal.azure.com/run\nX")]
    [DataRow("/relative/run")]
    public void Only_an_https_run_url_becomes_the_link(string? runUrl)
    {
        var alert = OrderEventSamples.Functions().BuildDeadLetterAlertCard("sap-fulfillment", DeadLetter(), runUrl);

        Assert.AreEqual(OrderEvents.CustomCode.Alerts.DeadLetterAlertCard.PlaceholderRunUrl, (string?)alert.Card["actions"]![0]!["url"]);
    }

    [TestMethod]
    public void The_card_quotes_the_downstreams_error_from_the_description_with_personal_data_masked()
    {
        var deadLetter = DeadLetter();
        deadLetter["userProperties"]!["DeadLetterReason"] = "DownstreamRejected";
        deadLetter["userProperties"]!["DeadLetterErrorDescription"] = "Send_SMS ended Failed with HTTP 400: downstream error 21211: The 'To' number +4915112345678 is not a valid phone number.";

        var alert = OrderEventSamples.Functions().BuildDeadLetterAlertCard("sms-notification", deadLetter, "https://portal.azure.com/#view/run/08585");

        var description = (string)alert.Card.SelectTokens("body[*].text").Last()!;
        StringAssert.Contains(description, "downstream error 21211: The 'To' number +49");
        StringAssert.Contains(description, "678 is not a valid phone number");
        Assert.DoesNotContain("4915112345678", alert.CardJson, "a dead letter from elsewhere is cleaned as well");
    }
}
