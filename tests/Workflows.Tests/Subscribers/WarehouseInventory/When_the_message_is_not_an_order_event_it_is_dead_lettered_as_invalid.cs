using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.WarehouseInventory;

[TestClass]
public sealed class When_the_message_is_not_an_order_event_it_is_dead_lettered_as_invalid
{
    [TestMethod]
    public async Task Text_without_a_content_type_is_dead_lettered_with_reason_InvalidMessage()
    {
        using var scenario = new WorkflowScenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("garbage-1", "hello warehouse", contentType: null));

        var run = await scenario.DeliverAsync("WarehouseInventory", delivery);

        run.ShouldHaveFailedWith("InvalidMessage");
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("deadLetterMessageInSession", settlement.Operation);
        Assert.AreEqual("InvalidMessage", settlement.DeadLetterReason);
        StringAssert.StartsWith(settlement.DeadLetterErrorDescription, "The message breaks the contract: ");
        Assert.AreEqual(0, scenario.Warehouse.Requests.Count);
    }

    [TestMethod]
    public async Task Zero_quantities_are_named_in_the_dead_letter_description()
    {
        using var scenario = new WorkflowScenario();
        var delivery = scenario.Bus.Deliver(ServiceBusFake.RawMessage("order-100482-created-v1", Project.Sample("invalid/zero-and-negative-quantities.json")));

        await scenario.DeliverAsync("WarehouseInventory", delivery);

        StringAssert.Contains(scenario.Bus.SettlementsOf(delivery).Single().DeadLetterErrorDescription, "$.data.lines[0].quantity");
        Assert.AreEqual(0, scenario.Warehouse.Requests.Count);
    }
}
