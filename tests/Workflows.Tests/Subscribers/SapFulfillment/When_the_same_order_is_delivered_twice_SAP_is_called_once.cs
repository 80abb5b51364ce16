using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_the_same_order_is_delivered_twice_SAP_is_called_once
{
    [TestMethod]
    public async Task The_second_delivery_is_completed_as_already_completed_without_calling_SAP()
    {
        using var scenario = new WorkflowScenario();
        var message = await scenario.PublishedMessage("valid/OrderCreated.standard.json");
        var first = scenario.Bus.Deliver(message);
        await scenario.DeliverAsync("SapFulfillment", first);

        // The sender published the same business message again (same messageId, new broker delivery and lock).
        var second = scenario.Bus.Deliver(message);
        var run = await scenario.DeliverAsync("SapFulfillment", second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.AreEqual(1, scenario.Sap.BapiCalls.Count);
        Assert.AreEqual(1, scenario.Sap.Committed.Count);
        var settlement = scenario.Bus.SettlementsOf(second).Single();
        Assert.AreEqual("completeMessageInSession", settlement.Operation);
        Assert.IsTrue(settlement.Accepted);
    }
}
