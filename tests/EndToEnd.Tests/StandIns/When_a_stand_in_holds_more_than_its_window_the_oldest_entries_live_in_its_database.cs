using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.State;
using LocalLogicApp.StandIns.Warehouse;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.StandIns;

/// <summary>
/// A stand-in's world (SAP's sales orders, the warehouse's reservations and stored answers) keeps its newest entries as
/// objects and spills the older ones to a temporary SQLite database, so that a long day does not grow the process. What
/// the stand-in answers must not depend on where an entry lives.
/// </summary>
[TestClass]
public sealed class When_a_stand_in_holds_more_than_its_window_the_oldest_entries_live_in_its_database
{
    private static Reservation ReservationOf(string orderId, decimal quantity, string status = Reservation.Reserved) =>
        new(orderId, status, [new ReservedLine("SKU-1", quantity), new ReservedLine("SKU-Ü", 0.5m)], new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1)), "create");

    [TestMethod]
    public void Every_entry_reads_back_as_it_was_written_wherever_it_lives()
    {
        using var table = new SpillingTable<Reservation>(window: 4);
        for (var i = 0; i < 2_000; i++) table.Set($"ORD-{i}", ReservationOf($"ORD-{i}", i + 1));

        Assert.IsGreaterThan(1_500L, table.SpilledCount, "most were spilled");
        Assert.AreEqual(2_000L, table.SpilledCount + table.InMemoryCount);
        for (var i = 0; i < 2_000; i++)
        {
            Assert.IsTrue(table.TryGetValue($"ORD-{i}", out var read), $"ORD-{i}");
            Assert.AreEqual($"ORD-{i}", read.OrderId);
            Assert.AreEqual(Reservation.Reserved, read.Status);
            Assert.AreEqual(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero), read.At);
            CollectionAssert.AreEqual(new[] { new ReservedLine("SKU-1", i + 1), new ReservedLine("SKU-Ü", 0.5m) }, read.Lines.ToArray());
        }
        Assert.IsFalse(table.TryGetValue("ORD-2000", out _));
        Assert.HasCount(2_000, table.Snapshot());
    }

    [TestMethod]
    public void An_entry_written_again_after_it_was_spilled_reads_its_newest_value()
    {
        using var table = new SpillingTable<Reservation>(window: 2);
        for (var i = 0; i < 1_000; i++) table.Set($"ORD-{i}", ReservationOf($"ORD-{i}", 1));

        table.Set("ORD-0", ReservationOf("ORD-0", 7, Reservation.Released));
        for (var i = 1_000; i < 2_000; i++) table.Set($"ORD-{i}", ReservationOf($"ORD-{i}", 1));

        Assert.IsTrue(table.TryGetValue("ORD-0", out var read));
        Assert.AreEqual(Reservation.Released, read.Status);
        Assert.AreEqual(7m, read.Lines[0].Quantity);
        Assert.AreEqual(Reservation.Released, table.Snapshot()["ORD-0"].Status);
    }

    [TestMethod]
    public void A_secondary_key_finds_entries_in_memory_and_in_the_database_once_each()
    {
        using var table = new SpillingTable<Reservation>(window: 3, secondaryKeyOf: r => r.Status == Reservation.Released ? "gone" : null);
        table.Set("A", ReservationOf("A", 1, Reservation.Released));
        for (var i = 0; i < 600; i++) table.Set($"filler-{i}", ReservationOf($"filler-{i}", 1));
        table.Set("B", ReservationOf("B", 1, Reservation.Released));
        // A again, after it was spilled: its row in the database is stale, memory has it now.
        table.Set("A", ReservationOf("A", 2, Reservation.Released));

        CollectionAssert.AreEquivalent(new[] { "A", "B" }, table.KeysWithSecondary("gone").ToArray());
        Assert.IsEmpty(table.KeysWithSecondary("other"));
    }

    [TestMethod]
    public void SAP_still_refuses_a_duplicate_purchase_order_and_changes_an_order_it_spilled()
    {
        var sap = new FakeSapSystem(ordersInMemory: 2);
        var first = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml("PO-0"), autoCommit: true);
        for (var i = 1; i < 1_100; i++) sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml($"PO-{i}"), autoCommit: true);

        var duplicate = sap.CallBapi(null, "BUS2032", "CREATEFROMDAT2", When_SAP_receives_a_sales_order_it_holds_it_until_commit.CreateXml("PO-0"), autoCommit: true);
        var change = $"""<CHANGE xmlns="{When_SAP_receives_a_sales_order_it_holds_it_until_commit.Namespace}"><SALESDOCUMENT>{first.SalesDocument}</SALESDOCUMENT><ORDER_HEADER_INX><UPDATEFLAG>D</UPDATEFLAG></ORDER_HEADER_INX></CHANGE>""";
        var deleted = sap.CallBapi(null, "BUS2032", "CHANGE", change, autoCommit: true);

        Assert.AreEqual("0001000001", first.SalesDocument);
        Assert.IsTrue(duplicate.HasErrors);
        StringAssert.Contains(duplicate.Return.Single(r => r.IsError).Message, "1000001");
        Assert.IsFalse(deleted.HasErrors);
        Assert.AreEqual(SapSalesOrder.Deleted, sap.SalesOrders["0001000001"].Status);
        Assert.HasCount(1_100, sap.SalesOrders);
        Assert.HasCount(1, sap.SalesOrdersForPurchaseOrder("PO-0"));
    }

    [TestMethod]
    public async Task The_warehouse_still_replays_the_first_answer_of_a_key_it_spilled_and_refuses_it_with_another_body()
    {
        await using var warehouse = new WarehouseStandIn(defaultStockPerSku: 1_000_000, entriesInMemory: 2);
        var firstKey = new string('a', 64);
        var first = await warehouse.SendAsync(Reserve("ORD-0", 3, firstKey));
        for (var i = 1; i < 1_100; i++) await warehouse.SendAsync(Reserve($"ORD-{i}", 1, i.ToString("x64")));

        var replay = await warehouse.SendAsync(Reserve("ORD-0", 3, firstKey));
        var reused = await warehouse.SendAsync(Reserve("ORD-0", 4, firstKey));
        var replace = await warehouse.SendAsync(StandInRequest.Json("PUT", "/reservations/ORD-0",
            new JObject { ["orderId"] = "ORD-0", ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = 5 }) },
            new Dictionary<string, string> { ["Idempotency-Key"] = new string('b', 64) }));

        Assert.AreEqual(201, first.StatusCode);
        Assert.AreEqual(200, replay.StatusCode);
        Assert.IsTrue(JToken.DeepEquals(first.Body, replay.Body), replay.Body!.ToString());
        Assert.AreEqual("true", replay.Headers!["Idempotent-Replayed"]);
        Assert.AreEqual("/reservations/ORD-0", replay.Headers["Location"]);
        Assert.AreEqual(409, reused.StatusCode);
        Assert.AreEqual(200, replace.StatusCode, replace.Body!.ToString());
        Assert.AreEqual(5m, warehouse.Reservations["ORD-0"].Lines.Single().Quantity);
        Assert.AreEqual(1_101, warehouse.StoredAnswerCount);
    }

    private static StandInRequest Reserve(string orderId, int quantity, string key) => StandInRequest.Json("POST", "/reservations",
        new JObject { ["orderId"] = orderId, ["lines"] = new JArray(new JObject { ["sku"] = "SKU-1", ["quantity"] = quantity }) },
        new Dictionary<string, string> { ["Idempotency-Key"] = key });
}
