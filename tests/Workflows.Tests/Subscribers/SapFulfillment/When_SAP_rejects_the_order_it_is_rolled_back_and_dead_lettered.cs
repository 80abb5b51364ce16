using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_SAP_rejects_the_order_it_is_rolled_back_and_dead_lettered
{
    [TestMethod]
    public async Task A_RETURN_message_of_type_E_rolls_back_and_dead_letters_as_DownstreamRejected_quoting_SAP()
    {
        using var scenario = new WorkflowScenario();
        scenario.Sap.RejectNextCall("V4", "112", "Sold-to party CUST-20417 does not exist");
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveFailedWith("DownstreamRejected");
        Assert.AreEqual(0, scenario.Sap.Committed.Count, "the connector's auto-commit rolls back a response with an error");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("deadLetterMessageInSession", settlement.Operation);
        Assert.AreEqual("DownstreamRejected", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "E V4/112: Sold-to party CUST-20417 does not exist");
        Assert.IsNull(await scenario.IdempotencyRecord("sap-fulfillment", "order-100482-created-v1"), "a rejected call releases its claim");
    }
}
