using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Warehouse;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class When_the_warehouse_gets_the_same_idempotency_key_twice_it_reserves_once
{
    [TestMethod]
    public async Task The_same_key_and_body_replay_the_stored_answer_without_a_second_reservation()
    {
        await using var warehouse = new WarehouseStandIn();
        warehouse.SetStock("SKU-1", 10);

        var first = await warehouse.SendAsync(Reserve("ORD-1", 3, "key-1"));
        var second = await warehouse.SendAsync(Reserve("ORD-1", 3, "key-1"));

        Assert.AreEqual(201, first.StatusCode);
        Assert.AreEqual(201, second.StatusCode);
        Assert.AreEqual(first.Body!.Value<string>("reservationId"), second.Body!.Value<string>("reservationId"));
        Assert.AreEqual("true", second.Headers!["Idempotent-Replayed"]);
        Assert.HasCount(1, warehouse.ReservationHistory);
        Assert.AreEqual(7, warehouse.StockOf("SKU-1"));
    }

    [TestMethod]
    public async Task The_same_key_with_a_different_body_is_refused_with_422()
    {
        await using var warehouse = new WarehouseStandIn();

        await warehouse.SendAsync(Reserve("ORD-1", 3, "key-1"));
        var reused = await warehouse.SendAsync(Reserve("ORD-1", 4, "key-1"));

        Assert.AreEqual(422, reused.StatusCode);
        Assert.HasCount(1, warehouse.ReservationHistory);
    }

    [TestMethod]
    public async Task Short_stock_is_a_409_naming_the_SKU_and_releasing_returns_the_units()
    {
        await using var warehouse = new WarehouseStandIn();
        warehouse.SetStock("SKU-1", 2);

        var shortage = await warehouse.SendAsync(Reserve("ORD-1", 3, "key-1"));
        var reserved = await warehouse.SendAsync(Reserve("ORD-2", 2, "key-2"));
        var released = await warehouse.SendAsync(StandInRequest.Json("DELETE", "/reservations/ORD-2", null));

        Assert.AreEqual(409, shortage.StatusCode);
        StringAssert.Contains(shortage.Body!.Value<string>("detail"), "SKU-1");
        Assert.AreEqual(201, reserved.StatusCode);
        Assert.AreEqual(200, released.StatusCode);
        Assert.AreEqual("Released", released.Body!.Value<string>("status"));
        Assert.AreEqual(2, warehouse.StockOf("SKU-1"));
    }

    private static StandInRequest Reserve(string orderId, int quantity, string key) => StandInRequest.Json("POST", "/reservations",
        new JObject { ["orderId"] = orderId, ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = quantity }) },
        new Dictionary<string, string> { ["Idempotency-Key"] = key });
}
