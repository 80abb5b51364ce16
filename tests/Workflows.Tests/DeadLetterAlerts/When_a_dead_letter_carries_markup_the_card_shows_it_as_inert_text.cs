using Newtonsoft.Json.Linq;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_a_dead_letter_carries_markup_the_card_shows_it_as_inert_text
{
    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Lake)]
    public async Task Markdown_links_and_mentions_in_the_description_are_escaped(string workflow)
    {
        using var scenario = new WorkflowScenario();
        const string hostile = "**Urgent** [reset your password](https://evil.example/login) <at>everyone</at>\n- {{DATE(2020-01-01)}}";
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", hostile));

        await scenario.DeliverAsync(workflow, deadLetter);

        var cardJson = scenario.Teams.Single().Body!.Value<string>("messageBody")!;
        var texts = JObject.Parse(cardJson).SelectTokens("$..text").Select(t => (string)t!).ToList();
        var description = texts.Last();
        StringAssert.Contains(description, "reset your password");
        foreach (var markup in new[] { "**", "[reset", "](", "https://", "<at>", "{{", "\n" })
            Assert.IsFalse(texts.Any(t => t.Contains(markup, StringComparison.Ordinal)), $"'{markup}' must not reach the card: {description}");
        Assert.AreEqual(1, scenario.Teams.Count);
    }
}
