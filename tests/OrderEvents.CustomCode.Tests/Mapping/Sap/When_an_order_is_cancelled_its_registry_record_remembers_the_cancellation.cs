using OrderEvents.CustomCode.Mapping.Sap;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

/// <summary>
/// The order's registry record (<c>sap-orders/{orderId}.json</c>) gains the cancellation SAP applied, written with
/// If-Match on the version the cancellation's first step read; the look-up an update makes anyway then returns it.
/// </summary>
[TestClass]
public sealed class When_an_order_is_cancelled_its_registry_record_remembers_the_cancellation
{
    private static readonly DateTimeOffset Occurred = new(2025, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task The_cancellation_costs_one_write_on_the_record_as_read_and_the_look_up_returns_it()
    {
        var (store, registry) = await RegistryWithCreatedOrder();
        var read = await registry.FindAsync("SO-1", CancellationToken.None);
        store.Reset();

        var state = await registry.RecordCancellationAsync(new SapCancellationToRecord("SO-1", "cancel-1", Occurred, read.ETag, read.Record), CancellationToken.None);

        Assert.AreEqual(SapCancellationRecordState.Recorded, state);
        Assert.AreEqual(new StorageOperationCounts(Creates: 0, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), store.Total);
        var found = await registry.FindAsync("SO-1", CancellationToken.None);
        Assert.AreEqual(Occurred, found.CancelledUtc);
        Assert.AreEqual("cancel-1", found.CancelledBy);
        Assert.AreEqual("0000012345", found.SalesDocument, "the record still names the sales document");
    }

    [TestMethod]
    public async Task A_record_changed_since_it_was_read_is_read_again_and_the_first_cancellation_stays()
    {
        var (_, registry) = await RegistryWithCreatedOrder();
        var stale = await registry.FindAsync("SO-1", CancellationToken.None);
        await registry.RecordCancellationAsync(new SapCancellationToRecord("SO-1", "cancel-1", Occurred, stale.ETag, stale.Record), CancellationToken.None);

        var second = await registry.RecordCancellationAsync(
            new SapCancellationToRecord("SO-1", "cancel-2", Occurred.AddHours(1), stale.ETag, stale.Record), CancellationToken.None);

        Assert.AreEqual(SapCancellationRecordState.AlreadyRecorded, second);
        var found = await registry.FindAsync("SO-1", CancellationToken.None);
        Assert.AreEqual("cancel-1", found.CancelledBy);
        Assert.AreEqual(Occurred, found.CancelledUtc);
    }

    [TestMethod]
    public async Task An_order_without_a_record_is_reported_and_nothing_is_written()
    {
        var store = new CountingObjectStore(new InMemoryObjectStore());
        var registry = new SapSalesOrderRegistry(store, new ManualClock(Occurred), "idempotency");

        var state = await registry.RecordCancellationAsync(new SapCancellationToRecord("SO-9", "cancel-9", Occurred, null, null), CancellationToken.None);

        Assert.AreEqual(SapCancellationRecordState.NoRecord, state);
        Assert.IsNull(await store.ReadAsync("idempotency", SapSalesOrderRegistry.RecordName("SO-9")));
    }

    private static async Task<(CountingObjectStore Store, SapSalesOrderRegistry Registry)> RegistryWithCreatedOrder()
    {
        var store = new CountingObjectStore(new InMemoryObjectStore());
        var registry = new SapSalesOrderRegistry(store, new ManualClock(Occurred), "idempotency");
        var recorded = await registry.RecordAsync("SO-1", "12345", CancellationToken.None);
        Assert.IsTrue(recorded.Created);
        return (store, registry);
    }
}
