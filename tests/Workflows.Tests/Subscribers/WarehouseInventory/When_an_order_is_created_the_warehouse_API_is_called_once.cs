using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.WarehouseInventory;

[TestClass]
public sealed class When_an_order_is_created_the_warehouse_API_is_called_once
{
    [TestMethod]
    public async Task The_request_carries_the_idempotency_key_and_the_correlation_id()
    {
        using var scenario = new WorkflowScenario();

        var run = await scenario.DeliverAsync("WarehouseInventory", await scenario.Delivery("valid/OrderCreated.standard.json"));

        run.ShouldHaveSucceeded();
        var request = scenario.Warehouse.Requests.Single();
        var mapped = run.Action("Prepare_the_warehouse_request").Body()!["warehouse"]!;
        Assert.AreEqual(mapped.Value<string>("method"), request.Method, ignoreCase: true);
        Assert.AreEqual("http://localhost:7302" + mapped.Value<string>("path"), request.Uri.ToString());
        Assert.AreEqual(mapped.Value<string>("idempotencyKey"), request.Headers["Idempotency-Key"]);
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", request.Headers["x-correlation-id"]);
        StringAssert.Contains(request.Body, "MAT-1001");
        Assert.AreEqual(201, run.Action("Call_the_warehouse_API").TrackedProperties!.Value<int>("statusCode"));
    }

    [TestMethod]
    public async Task The_result_is_recorded_in_the_idempotency_record()
    {
        using var scenario = new WorkflowScenario();

        await scenario.DeliverAsync("WarehouseInventory", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var record = await scenario.IdempotencyRecord("warehouse-inventory", "order-100482-created-v1");
        Assert.AreEqual("Completed", record?.Value<string>("state"));
        Assert.AreEqual(201, record!["result"]!.Value<int>("statusCode"));
    }
}
