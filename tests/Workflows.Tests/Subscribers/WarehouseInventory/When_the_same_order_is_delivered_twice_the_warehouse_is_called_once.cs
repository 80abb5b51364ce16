using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.WarehouseInventory;

[TestClass]
public sealed class When_the_same_order_is_delivered_twice_the_warehouse_is_called_once
{
    [TestMethod]
    public async Task The_second_delivery_is_completed_without_a_request()
    {
        using var scenario = new WorkflowScenario();
        var message = await scenario.PublishedMessage("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("WarehouseInventory", scenario.Bus.Deliver(message));

        var second = scenario.Bus.Deliver(message);
        var run = await scenario.DeliverAsync("WarehouseInventory", second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.AreEqual(1, scenario.Warehouse.Requests.Count);
        Assert.AreEqual("completeMessageInSession", scenario.Bus.SettlementsOf(second).Single().Operation);
    }
}
