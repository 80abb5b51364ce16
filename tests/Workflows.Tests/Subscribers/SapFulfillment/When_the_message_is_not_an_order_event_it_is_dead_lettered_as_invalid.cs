using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_the_message_is_not_an_order_event_it_is_dead_lettered_as_invalid
{
    [TestMethod]
    public async Task Garbage_content_is_dead_lettered_with_reason_InvalidMessage_and_SAP_is_not_called()
    {
        using var scenario = new WorkflowScenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("garbage-1", "{ this is not json"));

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("deadLetterMessageInSession", settlement.Operation);
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        StringAssert.StartsWith(settlement.DeadLetterErrorDescription, "The message breaks the contract: ");
        Assert.AreEqual(0, scenario.Sap.Calls("createSession").Count);
    }

    [TestMethod]
    public async Task An_event_that_breaks_the_contract_is_dead_lettered_naming_every_violation()
    {
        using var scenario = new WorkflowScenario();
        // The direct route (Power Automate sending to the topic itself) skips the intake's validation.
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("order-100482-created-v1", Project.Sample("invalid/negative-amounts.json")));

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "$.data.amount");
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "$.data.lines[1].unitPrice");
        Assert.AreEqual(0, scenario.Sap.BapiCalls.Count);
        Assert.IsNull(await scenario.IdempotencyRecord("sap-fulfillment", "order-100482-created-v1"), "an invalid message claims nothing");
    }
}
