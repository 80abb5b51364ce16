using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.WarehouseInventory;

[TestClass]
public sealed class When_the_warehouse_is_throttled_or_down_the_message_is_retried_until_its_last_delivery
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

    [TestMethod]
    public async Task A_warehouse_that_stays_down_gets_the_message_abandoned_and_the_claim_released()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        for (var i = 0; i < 5; i++) scenario.Warehouse.Then(503);
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("WarehouseInventory", delivery);

        run.ShouldHaveFailedWith("TransientFailure");
        Assert.AreEqual(5, scenario.Warehouse.Requests.Count, "the first attempt and the policy's four retries");
        Assert.AreEqual("abandonMessageInSession", scenario.Bus.SettlementsOf(delivery).Single().Operation);
        Assert.IsNull(await scenario.IdempotencyRecord("warehouse-inventory", "order-100482-created-v1"));
    }

    [TestMethod]
    public async Task The_last_delivery_is_dead_lettered_as_TransientFailureExhausted()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        for (var i = 0; i < 10; i++) scenario.Warehouse.Then(503);
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("WarehouseInventory", first);
        var last = scenario.Bus.Redeliver(first);

        var run = await scenario.DeliverAsync("WarehouseInventory", last);

        run.ShouldHaveFailedWith("TransientFailure");
        var settlement = scenario.Bus.SettlementsOf(last).Single();
        Assert.AreEqual("deadLetterMessageInSession", settlement.Operation);
        Assert.AreEqual("TransientFailureExhausted", settlement.DeadLetterReason);
        StringAssert.Contains(settlement.DeadLetterErrorDescription, "Call_the_warehouse_API ended Failed with HTTP 503");
    }

    [TestMethod]
    public async Task A_request_the_warehouse_refuses_is_dead_lettered_at_once_as_DownstreamRejected()
    {
        using var scenario = new WorkflowScenario(MaxTwoDeliveries);
        scenario.Warehouse.Then(422, """{"error":"UnknownSku","sku":"MAT-2040"}""");
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("WarehouseInventory", delivery);

        run.ShouldHaveFailedWith("DownstreamRejected");
        Assert.AreEqual(1, scenario.Warehouse.Requests.Count);
        Assert.AreEqual("DownstreamRejected", scenario.Bus.SettlementsOf(delivery).Single().DeadLetterReason);
    }
}
