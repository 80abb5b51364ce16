using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

[TestClass]
public sealed class When_a_sales_document_is_recorded_the_cancel_path_finds_it
{
    [TestMethod]
    public async Task The_recorded_number_is_found_again_in_ten_digit_form()
    {
        var store = new InMemoryObjectStore();
        var functions = OrderEventSamples.Functions(store);

        var recorded = await functions.RecordSapSalesOrder("SO-100482", "12345");
        var found = await functions.FindSapSalesOrder("SO-100482");

        Assert.IsTrue(recorded.Created);
        Assert.IsTrue(found.Found);
        Assert.AreEqual("0000012345", found.SalesDocument);
        Assert.AreEqual("2024-05-01T10:00:00.0000000Z", found.RecordedUtc);
        Assert.IsNotNull(await store.ReadAsync("idempotency", "sap-orders/SO-100482.json"));
    }

    [TestMethod]
    public async Task Recording_the_same_number_twice_is_harmless()
    {
        var functions = OrderEventSamples.Functions();
        await functions.RecordSapSalesOrder("SO-1", "12345");

        var again = await functions.RecordSapSalesOrder("SO-1", "0000012345");

        Assert.IsFalse(again.Created);
        Assert.IsFalse(again.Conflict);
        Assert.AreEqual(0, again.Errors.Count);
    }

    [TestMethod]
    public async Task A_different_number_for_the_same_order_is_a_conflict_and_the_first_one_stays()
    {
        var functions = OrderEventSamples.Functions();
        await functions.RecordSapSalesOrder("SO-1", "12345");

        var second = await functions.RecordSapSalesOrder("SO-1", "99999");

        Assert.IsTrue(second.Conflict);
        Assert.AreEqual("SapSalesOrderConflict", second.Errors.Single().Code);
        Assert.AreEqual("0000012345", (await functions.FindSapSalesOrder("SO-1")).SalesDocument);
    }

    [TestMethod]
    public async Task An_unknown_order_is_not_found_without_errors()
    {
        var found = await OrderEventSamples.Functions().FindSapSalesOrder("SO-404");

        Assert.IsFalse(found.Found);
        Assert.AreEqual(0, found.Errors.Count);
    }

    [TestMethod]
    public async Task Order_ids_cannot_escape_the_prefix_and_bad_input_is_named()
    {
        var store = new InMemoryObjectStore();
        var functions = OrderEventSamples.Functions(store);

        await functions.RecordSapSalesOrder("../x/y", "1");
        var names = new List<string>();
        await foreach (var name in store.ListAsync("idempotency", "")) names.Add(name);

        Assert.HasCount(1, names);
        StringAssert.Matches(names[0], new System.Text.RegularExpressions.Regex("^sap-orders/_sha256-[0-9a-f]{64}\\.json$"), "a hashed single segment, never a path");
        Assert.AreEqual("MissingField", (await functions.RecordSapSalesOrder("", "1")).Errors.Single().Code);
        Assert.AreEqual("InvalidOrderId", (await functions.FindSapSalesOrder("a\nb")).Errors.Single().Code);
        Assert.AreEqual("InvalidSapSalesOrderNumber", (await functions.RecordSapSalesOrder("SO-2", "ABC")).Errors.Single().Code);
    }
}
