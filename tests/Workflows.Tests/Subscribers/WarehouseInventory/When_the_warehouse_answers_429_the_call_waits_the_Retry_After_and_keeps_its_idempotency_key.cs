using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.WarehouseInventory;

[TestClass]
public sealed class When_the_warehouse_answers_429_the_call_waits_the_Retry_After_and_keeps_its_idempotency_key
{
    private static readonly Dictionary<string, string> MaxTwoDeliveries = new() { ["Orders_WarehouseInventoryMaxDeliveryCount"] = "2" };

    [TestMethod]
    public async Task A_429_is_retried_after_the_Retry_After_wait_with_the_same_idempotency_key()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.Warehouse.Then(429, """{"error":"TooManyRequests"}""", ("Retry-After", "7"));

        var run = await scenario.DeliverAsync("WarehouseInventory", await scenario.Delivery("valid/OrderCreated.standard.json"));

        run.ShouldHaveSucceeded();
        var requests = scenario.Warehouse.Requests;
        Assert.AreEqual(2, requests.Count);
        Assert.AreEqual(requests[0].Headers["Idempotency-Key"], requests[1].Headers["Idempotency-Key"]);
        CollectionAssert.Contains(scenario.Host.Clock.Waits.ToList(), TimeSpan.FromSeconds(7));
        Assert.AreEqual("completeMessageInSession", scenario.Bus.Settlements.Single().Operation);
    }
}
