using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Warehouse;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class When_the_warehouse_gets_the_same_idempotency_key_twice_it_reserves_once
{
    private static readonly string KeyOne = new('1', 64);
    private static readonly string KeyTwo = new('2', 64);

    [TestMethod]
    public async Task The_same_key_and_body_replay_the_stored_answer_as_200_without_a_second_reservation()
    {
        await using var warehouse = new WarehouseStandIn();
        warehouse.SetStock("SKU-1", 10);

        var first = await warehouse.SendAsync(Reserve("ORD-1", 3, KeyOne));
        var second = await warehouse.SendAsync(Reserve("ORD-1", 3, KeyOne));

        Assert.AreEqual(201, first.StatusCode);
        Assert.AreEqual(200, second.StatusCode);
        Assert.IsTrue(JToken.DeepEquals(first.Body, second.Body));
        Assert.AreEqual("true", second.Headers!["Idempotent-Replayed"]);
        Assert.HasCount(1, warehouse.ReservationHistory);
        Assert.AreEqual(7m, warehouse.StockOf("SKU-1"));
    }

    [TestMethod]
    public async Task The_same_key_with_a_different_body_is_refused_with_409()
    {
        await using var warehouse = new WarehouseStandIn();

        await warehouse.SendAsync(Reserve("ORD-1", 3, KeyOne));
        var reused = await warehouse.SendAsync(Reserve("ORD-1", 4, KeyOne));

        Assert.AreEqual(409, reused.StatusCode);
        Assert.AreEqual("IdempotencyKeyReused", reused.Body!.Value<string>("code"));
        Assert.HasCount(1, warehouse.ReservationHistory);
    }

    [TestMethod]
    public async Task Short_stock_is_a_422_naming_the_SKU_and_releasing_returns_the_units()
    {
        await using var warehouse = new WarehouseStandIn();
        warehouse.SetStock("SKU-1", 2);

        var shortage = await warehouse.SendAsync(Reserve("ORD-1", 3, KeyOne));
        var reserved = await warehouse.SendAsync(Reserve("ORD-2", 2, KeyTwo));
        var released = await warehouse.SendAsync(StandInRequest.Json("POST", "/reservations/ORD-2/release", new JObject { ["reason"] = "cancelled" },
            new Dictionary<string, string> { ["Idempotency-Key"] = new string('3', 64) }));

        Assert.AreEqual(422, shortage.StatusCode);
        Assert.AreEqual("InsufficientStock", shortage.Body!.Value<string>("code"));
        StringAssert.Contains(shortage.Body!.Value<string>("detail"), "SKU-1");
        Assert.AreEqual(201, reserved.StatusCode);
        Assert.AreEqual(200, released.StatusCode);
        Assert.AreEqual("Released", released.Body!.Value<string>("status"));
        Assert.AreEqual(2m, warehouse.StockOf("SKU-1"));
    }

    [TestMethod]
    public async Task A_write_without_an_idempotency_key_is_refused()
    {
        await using var warehouse = new WarehouseStandIn();

        var response = await warehouse.SendAsync(StandInRequest.Json("POST", "/reservations",
            new JObject { ["orderId"] = "ORD-1", ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = 1 }) }));

        Assert.AreEqual(400, response.StatusCode);
        Assert.IsEmpty(warehouse.ReservationHistory);
    }

    private static StandInRequest Reserve(string orderId, int quantity, string key) => StandInRequest.Json("POST", "/reservations",
        new JObject { ["orderId"] = orderId, ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = quantity }) },
        new Dictionary<string, string> { ["Idempotency-Key"] = key });
}
