using System.Text;
using Microsoft.Data.Sqlite;
using ObjectStore.Local;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>What the local runtime's SQLite store does beyond the shared behaviour (<see cref="ObjectStore_Specs"/>):
/// durable acknowledgements, group commit, versions never reused, several instances (as separate processes would be)
/// on one file, another process's lock, and a file from a newer schema.</summary>
[TestClass]
public sealed class SqliteObjectStore_Specs
{
    private const string Json = "application/json";
    private string folder = null!;
    private string database = null!;

    [TestInitialize]
    public void CreateFolder()
    {
        folder = Directory.CreateTempSubdirectory("sqlite-store-").FullName;
        database = Path.Combine(folder, SqliteObjectStore.DefaultFileName);
    }

    [TestCleanup]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public async Task An_acknowledged_write_is_on_disk_before_the_store_is_closed_as_a_killed_process_leaves_it()
    {
        using var store = new SqliteObjectStore(database);
        var created = await store.TryCreateAsync("idempotency", "sms/m-1.json", Bytes("{\"state\":\"InProgress\"}"), Json);
        await store.TryReplaceAsync("idempotency", "sms/m-1.json", Bytes("{\"state\":\"Completed\"}"), Json, created!);

        // The files as they are on disk while the store is still open (no close, no checkpoint): what SIGKILL leaves.
        var killed = Path.Combine(folder, "killed");
        Directory.CreateDirectory(killed);
        foreach (var file in Directory.GetFiles(folder).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)))
        {
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = File.Create(Path.Combine(killed, Path.GetFileName(file)));
            source.CopyTo(copy);
        }
        using var restarted = new SqliteObjectStore(Path.Combine(killed, SqliteObjectStore.DefaultFileName));

        Assert.AreEqual("{\"state\":\"Completed\"}", Text(await restarted.ReadAsync("idempotency", "sms/m-1.json")));
    }

    [TestMethod]
    public async Task Writes_that_queue_behind_a_commit_are_committed_together_in_one_transaction()
    {
        using var store = new SqliteObjectStore(database, TimeSpan.FromSeconds(30));
        using var otherProcess = HoldWriteLock();
        var first = Task.Run(() => store.TryCreateAsync("lake", "first.json", Bytes("1"), Json));
        while (!store.CommittingWithNothingQueued) await Task.Delay(1);

        var queued = Enumerable.Range(0, 19).Select(i => store.TryCreateAsync("lake", $"queued-{i}.json", Bytes($"{i}"), Json)).ToList();
        otherProcess.Commit();
        var etags = (await Task.WhenAll(queued)).Append(await first).ToList();

        Assert.AreEqual(20, etags.Distinct().Count(e => e is not null), "every write succeeded with its own ETag");
        Assert.AreEqual((2L, 20L), store.CommitCounts, "the first write's transaction, then the 19 that queued behind it");
        Assert.AreEqual("7", Text(await store.ReadAsync("lake", "queued-7.json")));
    }

    [TestMethod]
    public async Task In_one_batch_the_conditions_are_checked_in_the_order_the_writes_came()
    {
        using var store = new SqliteObjectStore(database);
        var etag = await store.TryCreateAsync("lake", "k.json", Bytes("0"), Json);
        using var otherProcess = HoldWriteLock();
        var blocker = Task.Run(() => store.TryCreateAsync("lake", "blocker.json", Bytes("b"), Json));
        while (!store.CommittingWithNothingQueued) await Task.Delay(1);

        var replace = store.TryReplaceAsync("lake", "k.json", Bytes("1"), Json, etag!);
        var staleReplace = store.TryReplaceAsync("lake", "k.json", Bytes("2"), Json, etag!);
        var delete = store.TryDeleteAsync("lake", "k.json", etag!);
        var create = store.TryCreateAsync("lake", "k.json", Bytes("3"), Json);
        otherProcess.Commit();
        await blocker;

        Assert.IsNotNull(await replace);
        Assert.IsNull(await staleReplace, "the first replace changed the ETag");
        Assert.IsFalse(await delete, "so did it for the delete");
        Assert.IsNull(await create, "the object still exists");
        Assert.AreEqual("1", Text(await store.ReadAsync("lake", "k.json")));
    }

    [TestMethod]
    public async Task A_name_deleted_and_created_again_gets_a_new_etag_and_the_old_one_matches_nothing()
    {
        using var store = new SqliteObjectStore(database);
        var first = await store.TryCreateAsync("idempotency", "k.json", Bytes("same"), Json);
        Assert.IsTrue(await store.TryDeleteAsync("idempotency", "k.json", first!));

        var second = await store.TryCreateAsync("idempotency", "k.json", Bytes("same"), Json);

        Assert.AreNotEqual(first, second);
        Assert.IsNull(await store.TryReplaceAsync("idempotency", "k.json", Bytes("x"), Json, first!));
        Assert.IsNull(await store.TryReplaceAsync("idempotency", "k.json", Bytes("x"), Json, "\"not-an-etag-of-this-store\""));
        Assert.IsFalse(await store.TryDeleteAsync("idempotency", "k.json", "*"));
        Assert.AreEqual(second, (await store.ReadAsync("idempotency", "k.json"))!.ETag);
    }

    [TestMethod]
    public async Task Separate_store_instances_on_one_file_still_let_exactly_one_create_and_one_replace_win()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => new SqliteObjectStore(database)).ToArray();
        try
        {
            var creates = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryCreateAsync("c-one", "k.json", Bytes($"{i}"), "text/plain"))));
            var etag = (await stores[0].ReadAsync("c-one", "k.json"))!.ETag;
            var replaces = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryReplaceAsync("c-one", "k.json", Bytes($"r{i}"), "text/plain", etag))));

            Assert.AreEqual(1, creates.Count(c => c is not null));
            Assert.AreEqual(1, replaces.Count(r => r is not null));
            Assert.AreNotEqual(creates.Single(c => c is not null), replaces.Single(r => r is not null));
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    [TestMethod]
    public async Task Increments_by_read_and_if_match_replace_from_separate_instances_are_never_lost()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteObjectStore(database)).ToArray();
        try
        {
            await stores[0].TryCreateAsync("race", "counter.json", Bytes("0"), Json);
            await Task.WhenAll(stores.SelectMany(store => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < 25; i++)
                {
                    while (true)
                    {
                        var current = (await store.ReadAsync("race", "counter.json"))!;
                        var next = int.Parse(Text(current)!) + 1;
                        if (await store.TryReplaceAsync("race", "counter.json", Bytes(next.ToString()), Json, current.ETag) is not null) break;
                    }
                }
            }))));

            Assert.AreEqual("200", Text(await stores[3].ReadAsync("race", "counter.json")));
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    [TestMethod]
    public async Task A_writer_that_cannot_get_the_lock_in_time_fails_with_a_lock_timeout_and_readers_still_answer()
    {
        using var store = new SqliteObjectStore(database, lockTimeout: TimeSpan.FromMilliseconds(100));
        await store.TryCreateAsync("c-lock", "old.json", Bytes("1"), Json);
        using (HoldWriteLock())
        {
            var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.TryCreateAsync("c-lock", "k.json", Bytes("x"), Json));
            Assert.AreEqual("LockTimeout", ex.Code);
            StringAssert.Contains(ex.Message, database);
            Assert.AreEqual("1", Text(await store.ReadAsync("c-lock", "old.json")), "readers take no write lock");
        }
        Assert.IsNotNull(await store.TryCreateAsync("c-lock", "k.json", Bytes("x"), Json), "the lock is free again");
    }

    [TestMethod]
    public void A_file_written_by_a_newer_schema_is_refused_with_what_to_do()
    {
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var ex = Assert.ThrowsExactly<ObjectStoreException>(() => new SqliteObjectStore(database));

        Assert.AreEqual("UnknownSchema", ex.Code);
        StringAssert.Contains(ex.Message, "newer version");
        StringAssert.Contains(ex.Message, database);
    }

    [TestMethod]
    public async Task A_list_longer_than_a_page_comes_whole_and_in_order()
    {
        using var store = new SqliteObjectStore(database);
        var names = Enumerable.Range(0, 1203).Select(i => $"orders/x/{i:D5}.json").ToList();
        await Task.WhenAll(names.Select(name => store.TryCreateAsync("lake", name, Bytes("{}"), Json)));
        await store.TryCreateAsync("lake", "orders0.json", Bytes("{}"), Json);
        await store.TryCreateAsync("lake", "deadletters/a.json", Bytes("{}"), Json);

        var listed = new List<string>();
        await foreach (var name in store.ListAsync("lake", "orders/")) listed.Add(name);

        CollectionAssert.AreEqual(names, listed);
    }

    /// <summary>Another process's write transaction on the file, held until committed or disposed.</summary>
    private HeldWriteLock HoldWriteLock() => new(database);

    private sealed class HeldWriteLock : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteTransaction transaction;

        public HeldWriteLock(string database)
        {
            connection = new SqliteConnection($"Data Source={database};Pooling=False");
            connection.Open();
            transaction = connection.BeginTransaction(deferred: false);
        }

        public void Commit() => transaction.Commit();

        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(StoredObject? stored) => stored is null ? null : Encoding.UTF8.GetString(stored.Content.Span);
}
