using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

[TestClass]
public sealed class When_the_message_is_not_an_order_event_it_is_dead_lettered_as_invalid
{
    [TestMethod]
    [DataRow("SapFulfillment", "{ this is not json", "application/json", DisplayName = "SapFulfillment: text that is not JSON")]
    [DataRow("SmsNotification", "<xml>not an order</xml>", "application/xml", DisplayName = "SmsNotification: XML")]
    [DataRow("WarehouseInventory", "hello warehouse", null, DisplayName = "WarehouseInventory: text without a content type")]
    [DataRow("LakeArchive", "[1, 2, 3]", "application/json", DisplayName = "LakeArchive: a JSON array")]
    public async Task Content_that_is_no_order_event_is_dead_lettered_with_reason_InvalidMessage_and_nothing_is_done(string workflow, string content, string? contentType)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("garbage-1", content, contentType));

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual(subscriber.DeadLetter, settlement.Operation);
        subscriber.ShouldBeSettledOnItsEntity(settlement, "garbage-1");
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        StringAssert.StartsWith(settlement.DeadLetterErrorDescription, "The message breaks the contract: ");
        Assert.AreEqual(0, await subscriber.WorkDone(scenario));
        switch (workflow)
        {
            case "SapFulfillment":
                Assert.AreEqual(0, scenario.Sap.Calls("createSession").Count);
                break;
            case "LakeArchive":
                Assert.AreEqual(0, (await scenario.Objects("orders-lake")).Count);
                break;
        }
    }

    [TestMethod]
    [DataRow("SapFulfillment", "invalid/negative-amounts.json", new[] { "$.data.amount", "$.data.lines[1].unitPrice" })]
    [DataRow("SmsNotification", "invalid/phone-not-e164.json", new[] { "$.data.customer.phone" })]
    [DataRow("WarehouseInventory", "invalid/zero-and-negative-quantities.json", new[] { "$.data.lines[0].quantity" })]
    public async Task An_event_that_breaks_the_contract_is_dead_lettered_naming_every_violation_and_claims_nothing(string workflow, string sample, string[] violations)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        // The direct route (Power Automate sending to the topic itself) skips the intake's validation.
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage(Subscriber.MessageId, Project.Sample(sample)));

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        foreach (var violation in violations) StringAssert.Contains(settlement.DeadLetterErrorDescription, violation);
        Assert.AreEqual(0, await subscriber.WorkDone(scenario));
        Assert.IsNull(await scenario.IdempotencyRecord(subscriber.Subscription, Subscriber.MessageId), "an invalid message claims nothing");
    }
}
