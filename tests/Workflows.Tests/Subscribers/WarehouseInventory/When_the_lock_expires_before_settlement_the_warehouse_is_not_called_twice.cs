using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.WarehouseInventory;

[TestClass]
public sealed class When_the_lock_expires_before_settlement_the_warehouse_is_not_called_twice
{
    [TestMethod]
    public async Task The_run_succeeds_recording_the_skipped_settlement_and_the_redelivery_calls_nothing()
    {
        using var scenario = new WorkflowScenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        scenario.Bus.ExpireLock(delivery);

        var run = await scenario.DeliverAsync("WarehouseInventory", delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Complete_the_message").Status);
        Assert.AreEqual("MessageLockLost", run.Action("Complete_the_message").Body()?.Value<string>("errorCode"));
        Assert.AreEqual("SettlementSkipped: lock expired", run.Succeeded("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));

        var redelivery = scenario.Bus.Redeliver(delivery);
        var again = await scenario.DeliverAsync("WarehouseInventory", redelivery);

        Assert.AreEqual("AlreadyCompleted", again.Outcome());
        Assert.AreEqual(1, scenario.Warehouse.Requests.Count);
        Assert.IsTrue(scenario.Bus.SettlementsOf(redelivery).Single().Accepted);
    }
}
