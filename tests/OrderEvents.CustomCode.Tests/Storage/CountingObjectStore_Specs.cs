using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

[TestClass]
public sealed class CountingObjectStore_Specs
{
    private const string Container = "counted";
    private const string Json = "application/json";

    [TestMethod]
    public async Task Each_call_counts_once_under_its_kind_whatever_its_outcome()
    {
        var store = new CountingObjectStore(new InMemoryObjectStore());

        var etag = await store.TryCreateAsync(Container, "a.json", "1"u8.ToArray(), Json);
        await store.TryCreateAsync(Container, "a.json", "2"u8.ToArray(), Json); // lost: still a transaction
        await store.ReadAsync(Container, "a.json");
        await store.ReadAsync(Container, "missing.json");
        var next = await store.TryReplaceAsync(Container, "a.json", "3"u8.ToArray(), Json, etag!);
        await store.TryDeleteAsync(Container, "a.json", next!);
        await foreach (var _ in store.ListAsync(Container, "")) { }

        Assert.AreEqual(new StorageOperationCounts(Creates: 2, Reads: 2, Replaces: 1, Deletes: 1, Lists: 1), store.Total);
        Assert.AreEqual(7, store.Total.Transactions);
    }

    [TestMethod]
    public async Task Operations_count_for_the_owner_attributed_to_the_async_flow_that_made_them()
    {
        var store = new CountingObjectStore(new InMemoryObjectStore());

        var sap = Task.Run(async () =>
        {
            using var owner = CountingObjectStore.AttributeTo("sap-fulfillment");
            await store.TryCreateAsync(Container, "sap.json", "1"u8.ToArray(), Json);
            await Task.Yield();
            await Task.Run(() => store.ReadAsync(Container, "sap.json")); // a task it starts counts for it too
        });
        var lake = Task.Run(async () =>
        {
            using var owner = CountingObjectStore.AttributeTo("lake-archive");
            await store.TryCreateAsync(Container, "lake.json", "1"u8.ToArray(), Json);
        });
        await Task.WhenAll(sap, lake);
        await store.ReadAsync(Container, "unattributed.json");

        Assert.AreEqual(2, store.Of("sap-fulfillment").Transactions);
        Assert.AreEqual(1, store.Of("lake-archive").Transactions);
        Assert.AreEqual(1, store.Of("").Transactions);
        Assert.AreEqual(0, store.Of("sms-notification").Transactions);
        CollectionAssert.AreEquivalent(new[] { "sap-fulfillment", "lake-archive", "" }, store.ByOwner.Keys.ToArray());
    }

    [TestMethod]
    public async Task An_attribution_ends_when_disposed_and_the_previous_one_applies_again()
    {
        var store = new CountingObjectStore(new InMemoryObjectStore());

        using (CountingObjectStore.AttributeTo("outer"))
        {
            using (CountingObjectStore.AttributeTo("inner"))
            {
                await store.ReadAsync(Container, "x.json");
            }
            await store.ReadAsync(Container, "x.json");
        }

        Assert.AreEqual(1, store.Of("inner").Reads);
        Assert.AreEqual(1, store.Of("outer").Reads);
    }

    [TestMethod]
    public async Task The_owner_can_come_from_the_caller_and_reset_starts_again_from_zero()
    {
        var current = "warehouse-inventory";
        var store = new CountingObjectStore(new InMemoryObjectStore(), () => current);

        await store.ReadAsync(Container, "x.json");
        current = "sms-notification";
        await store.ReadAsync(Container, "x.json");
        var before = store.Total.Transactions;
        store.Reset();

        Assert.AreEqual(2, before);
        Assert.AreEqual(0, store.Total.Transactions);
        Assert.AreEqual(0, store.ByOwner.Count);
    }
}
