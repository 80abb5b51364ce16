using System.Text;
using LocalLogicApp.Storage;
using ObjectStore.Local;
using OrderEvents.CustomCode.Storage;

namespace EndToEnd.Tests.Hosting;

/// <summary>A state folder written before the SQLite store (custom-code storage as one file per object under
/// <c>storage/</c>) keeps working: its idempotency records, lake files and claim checks are imported on first open,
/// nothing is deleted, and the old folder is renamed so that it is imported once.</summary>
[TestClass]
public sealed class When_a_state_folder_keeps_the_earlier_file_layout_its_objects_are_imported_and_the_files_kept
{
    private string state = null!;

    [TestInitialize]
    public void CreateState() => state = Directory.CreateTempSubdirectory("earlier-layout-").FullName;

    [TestCleanup]
    public void RemoveState() => Directory.Delete(state, recursive: true);

    [TestMethod]
    public async Task Every_object_reads_as_before_and_the_old_folder_is_kept_beside()
    {
        var files = new FileSystemObjectStore(Path.Combine(state, "storage"));
        await files.TryCreateAsync("idempotency", "sap-orders/S-1.json", Encoding.UTF8.GetBytes("{\"state\":\"Completed\"}"), "application/json");
        await files.TryCreateAsync("orders-lake", "orders/OrderCreated/v1/year=2026/month=03/day=01/hour=08/m-1.json", Encoding.UTF8.GetBytes("{\"orderId\":\"S-1\"}"), "application/json");
        await files.TryCreateAsync("orders-lake", "claimchecks/big.bin", new byte[] { 0, 1, 2 }, "application/octet-stream");
        await files.TryCreateAsync("orders-lake", "notes/n.txt", Encoding.UTF8.GetBytes("typed"), "text/plain; charset=utf-8");
        var log = new List<string>();

        using (var store = CustomCodeStorage.CreateStore(new Dictionary<string, string>(), state, log.Add) as SqliteObjectStore)
        {
            Assert.IsNotNull(store);
            Assert.AreEqual("{\"state\":\"Completed\"}", Text(await store.ReadAsync("idempotency", "sap-orders/S-1.json")));
            CollectionAssert.AreEqual(new byte[] { 0, 1, 2 }, (await store.ReadAsync("orders-lake", "claimchecks/big.bin"))!.Content.ToArray());
            Assert.AreEqual("text/plain; charset=utf-8", (await store.ReadAsync("orders-lake", "notes/n.txt"))!.ContentType);
            var lake = new List<string>();
            await foreach (var name in store.ListAsync("orders-lake", "orders/")) lake.Add(name);
            Assert.AreEqual(1, lake.Count);
        }

        var message = log.Single();
        StringAssert.Contains(message, "imported 4 of 4 objects");
        Assert.IsFalse(Directory.Exists(Path.Combine(state, "storage")), "the old folder is imported once");
        var kept = Directory.GetDirectories(state, "storage.imported-*").Single();
        StringAssert.Contains(message, kept);
        Assert.IsTrue(File.Exists(Path.Combine(kept, "idempotency", "sap-orders", "S-1.json")), "nothing is deleted");

        log.Clear();
        using var reopened = (SqliteObjectStore)CustomCodeStorage.CreateStore(new Dictionary<string, string>(), state, log.Add);
        Assert.IsEmpty(log, "nothing to import the second time");
        Assert.IsNotNull(await reopened.ReadAsync("idempotency", "sap-orders/S-1.json"));
    }

    [TestMethod]
    public async Task An_object_the_database_already_has_is_kept_as_it_is_there()
    {
        // A host killed after an import's copy and before the folder's rename imports again on its next start.
        using (var first = new SqliteObjectStore(CustomCodeStorage.DatabasePath(state)))
        {
            await first.TryCreateAsync("idempotency", "sms/m-1.json", Encoding.UTF8.GetBytes("{\"state\":\"Completed\"}"), "application/json");
        }
        var files = new FileSystemObjectStore(Path.Combine(state, "storage"));
        await files.TryCreateAsync("idempotency", "sms/m-1.json", Encoding.UTF8.GetBytes("{\"state\":\"InProgress\"}"), "application/json");
        await files.TryCreateAsync("idempotency", "sms/m-2.json", Encoding.UTF8.GetBytes("{\"state\":\"Completed\"}"), "application/json");
        var log = new List<string>();

        using var store = (SqliteObjectStore)CustomCodeStorage.CreateStore(new Dictionary<string, string>(), state, log.Add);

        Assert.AreEqual("{\"state\":\"Completed\"}", Text(await store.ReadAsync("idempotency", "sms/m-1.json")));
        Assert.IsNotNull(await store.ReadAsync("idempotency", "sms/m-2.json"));
        StringAssert.Contains(log.Single(), "imported 1 of 2 objects");
    }

    private static string? Text(StoredObject? stored) => stored is null ? null : Encoding.UTF8.GetString(stored.Content.Span);
}
