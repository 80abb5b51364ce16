using OrderEvents.CustomCode.Tests.Mapping;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Alerts;

[TestClass]
public sealed class When_a_dead_letter_is_hostile_the_card_cannot_be_spoofed
{
    private static JObject CardWith(string reason, string description, string? orderId = null, string subscriber = "sms-notification")
    {
        var deadLetter = When_a_dead_letter_is_alerted_the_card_shows_its_facts.DeadLetter(
            orderId is null ? null : OrderEventSamples.Event().With("data.orderId", orderId));
        deadLetter["userProperties"]!["DeadLetterReason"] = reason;
        deadLetter["userProperties"]!["DeadLetterErrorDescription"] = description;
        return OrderEventSamples.Functions().BuildDeadLetterAlertCard(subscriber, deadLetter).Card;
    }

    private static IEnumerable<string> ShownTexts(JObject card) =>
        card.SelectTokens("body[*].text").Concat(card.SelectTokens("body[*].facts[*].value")).Select(t => (string)t!);

    [TestMethod]
    public void Markdown_links_and_emphasis_are_neutralized()
    {
        var card = CardWith("[Click to fix](https://evil.example/login)", "**URGENT** _approve_ `now` # Heading > quote ~~x~~ |a|b|");

        foreach (var text in ShownTexts(card))
        {
            foreach (var markup in new[] { "[", "]", "(", ")", "*", "_", "`", "#", ">", "~", "|" })
                Assert.IsFalse(text.Contains(markup, StringComparison.Ordinal), $"'{markup}' survived in: {text}");
        }
    }

    [TestMethod]
    public void Raw_urls_from_the_payload_are_defanged_and_never_become_actions()
    {
        var card = CardWith("See https://evil.example/x", "or www.evil.example or http://10.0.0.1/", orderId: "https://evil.example/order");

        Assert.IsFalse(ShownTexts(card).Any(t => t.Contains("://", StringComparison.Ordinal) || t.Contains("www.", StringComparison.Ordinal)));
        Assert.AreEqual(1, ((JArray)card["actions"]!).Count);
        Assert.IsFalse(card.ToString().Contains("evil.example/x\"", StringComparison.Ordinal) && ((string?)card["actions"]![0]!["url"])!.Contains("evil"));
    }

    [TestMethod]
    public void Line_breaks_cannot_forge_list_items_or_extra_lines()
    {
        var card = CardWith("- fake item", "ok\n\n- Approved by admin\r\n1. Step one\n\n**Reason: none**");

        foreach (var text in ShownTexts(card))
        {
            Assert.IsFalse(text.Contains('\n') || text.Contains('\r'), text);
            Assert.IsFalse(text.StartsWith("- ", StringComparison.Ordinal), text);
        }
        Assert.IsFalse(ShownTexts(card).Any(t => t.StartsWith("1.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Mentions_html_and_template_functions_are_neutralized()
    {
        var card = CardWith("<at>Admin</at>", "{{DATE(2017-02-14T06:08:00Z, SHORT)}} <b>bold</b> @channel");

        foreach (var text in ShownTexts(card))
        {
            Assert.IsFalse(text.Contains('<') || text.Contains('>') || text.Contains("{{", StringComparison.Ordinal) || text.Contains('@'), text);
        }
        Assert.IsNull(card.SelectToken("msteams"), "no mention entities");
    }

    [TestMethod]
    public void Control_characters_are_stripped_and_long_values_truncated_with_an_ellipsis()
    {
        var card = CardWith("Reason\u0000\u0007\u001b[2J" + new string('r', 500), new string('d', 5000) + "\u202e");

        var reason = (string)card.SelectTokens("body[*].facts[*]").Single(f => (string?)f["title"] == "Reason")["value"]!;
        Assert.IsTrue(reason.Length <= 128);
        StringAssert.EndsWith(reason, "\u2026");
        Assert.IsFalse(ShownTexts(card).Any(t => t.Any(char.IsControl)));
        Assert.IsTrue(ShownTexts(card).All(t => t.Length <= 600));
    }

    [TestMethod]
    public void Emoji_survive_truncation_without_broken_surrogates()
    {
        var card = CardWith(string.Concat(Enumerable.Repeat("😀", 100)), "x");

        var reason = (string)card.SelectTokens("body[*].facts[*]").Single(f => (string?)f["title"] == "Reason")["value"]!;
        Assert.IsFalse(OrderEvents.CustomCode.Mapping.SafeText.HasInvalidCharacter(reason));
    }

    [TestMethod]
    public void A_hostile_subscriber_name_is_treated_like_payload()
    {
        var card = CardWith("r", "d", subscriber: "[x](https://evil.example)\n# boom");

        Assert.IsFalse(((string)card.SelectToken("body[0].text")!).Contains("](", StringComparison.Ordinal));
    }
}
