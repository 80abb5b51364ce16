using System.Text;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>What the file-system store does beyond the shared behaviour: one file per object, its format, independent
/// instances (as separate processes would be) on one folder, torn-state safety and crash leftovers.</summary>
[TestClass]
public sealed class FileSystemObjectStore_Specs
{
    private string root = null!;

    [TestInitialize]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("fs-store-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(root, recursive: true);

    [TestMethod]
    public async Task Json_content_lies_byte_for_byte_under_container_and_name_folders_for_ordinary_tools()
    {
        var store = new FileSystemObjectStore(root);

        await store.TryCreateAsync("orders-lake", "orders/OrderCreated/v1/year=2026/m.json", "{\"a\":1}"u8.ToArray(), "application/json");

        var file = Path.Combine(root, "orders-lake", "orders", "OrderCreated", "v1", "year=2026", "m.json");
        Assert.AreEqual("{\"a\":1}", File.ReadAllText(file));
        CollectionAssert.AreEqual(new[] { "orders-lake" }, Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToArray());
    }

    [TestMethod]
    public async Task Each_object_is_one_file_and_the_lock_files_stay_few_whatever_the_number_of_objects()
    {
        var store = new FileSystemObjectStore(root);
        const int objects = 600;

        for (var i = 0; i < objects; i++)
        {
            var name = $"sap-fulfillment/order-{i}-created-v1.json";
            var created = await store.TryCreateAsync("idempotency", name, Encoding.UTF8.GetBytes($"{{\"state\":\"InProgress\",\"i\":{i}}}"), "application/json");
            Assert.IsNotNull(await store.TryReplaceAsync("idempotency", name, Encoding.UTF8.GetBytes($"{{\"state\":\"Completed\",\"i\":{i}}}"), "application/json", created!));
        }
        Assert.IsTrue(await store.TryDeleteAsync("idempotency", "sap-fulfillment/order-0-created-v1.json", (await store.ReadAsync("idempotency", "sap-fulfillment/order-0-created-v1.json"))!.ETag));

        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        var objectFiles = files.Where(f => !Path.GetRelativePath(root, f).StartsWith('.')).ToList();
        var lockFiles = files.Where(f => Path.GetRelativePath(root, f).StartsWith(".locks", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(objects - 1, objectFiles.Count, "one file per object, no sidecars");
        Assert.IsTrue(lockFiles.Count <= FileSystemObjectStore.LockStripes, $"{lockFiles.Count} lock files");
        Assert.AreEqual(0, Directory.GetFiles(Path.Combine(root, ".tmp")).Length, "no temp file outlives its write");
        Assert.AreEqual(objects - 1 + lockFiles.Count, files.Length);
    }

    [TestMethod]
    public async Task A_content_type_the_name_does_not_imply_is_kept_in_a_one_line_header_inside_the_same_file()
    {
        var store = new FileSystemObjectStore(root);

        await store.TryCreateAsync("c-typed", "note.txt", "hello"u8.ToArray(), "text/plain; charset=utf-8");
        await store.TryCreateAsync("c-typed", "blob.bin", "raw"u8.ToArray(), "application/octet-stream");

        Assert.AreEqual("\0objectstore/1 text/plain; charset=utf-8\nhello", File.ReadAllText(Path.Combine(root, "c-typed", "note.txt")));
        Assert.AreEqual("raw", File.ReadAllText(Path.Combine(root, "c-typed", "blob.bin")), "octet-stream is implied for names other than *.json");
    }

    [TestMethod]
    public async Task Content_that_starts_like_a_header_is_never_mistaken_for_one()
    {
        var store = new FileSystemObjectStore(root);
        var lookalike = Encoding.UTF8.GetBytes("\0objectstore/1 text/evil\nstill content");

        var etag = await store.TryCreateAsync("c-typed", "tricky.json", lookalike, "application/json");
        var read = await store.ReadAsync("c-typed", "tricky.json");

        CollectionAssert.AreEqual(lookalike, read!.Content.ToArray());
        Assert.AreEqual("application/json", read.ContentType);
        Assert.AreEqual(etag, read.ETag);
    }

    [TestMethod]
    public async Task A_file_put_there_by_hand_is_an_object_of_the_type_its_name_implies()
    {
        var store = new FileSystemObjectStore(root);
        Directory.CreateDirectory(Path.Combine(root, "orders-lake", "imported"));
        await File.WriteAllTextAsync(Path.Combine(root, "orders-lake", "imported", "a.json"), "{\"by\":\"hand\"}");

        var read = await store.ReadAsync("orders-lake", "imported/a.json");

        Assert.AreEqual("{\"by\":\"hand\"}", Encoding.UTF8.GetString(read!.Content.Span));
        Assert.AreEqual("application/json", read.ContentType);
        Assert.IsNotNull(await store.TryReplaceAsync("orders-lake", "imported/a.json", "{}"u8.ToArray(), "application/json", read.ETag));
    }

    [TestMethod]
    public async Task Separate_store_instances_on_one_folder_still_let_exactly_one_create_and_one_replace_win()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => new FileSystemObjectStore(root)).ToArray();

        var creates = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryCreateAsync("c-one", "k.json", Encoding.UTF8.GetBytes($"{i}"), "text/plain"))));
        var etag = (await stores[0].ReadAsync("c-one", "k.json"))!.ETag;
        var replaces = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryReplaceAsync("c-one", "k.json", Encoding.UTF8.GetBytes($"r{i}"), "text/plain", etag))));

        Assert.AreEqual(1, creates.Count(c => c is not null));
        Assert.AreEqual(1, replaces.Count(r => r is not null));
    }

    [TestMethod]
    public async Task A_reader_racing_replaces_always_sees_content_that_matches_its_etag_and_type()
    {
        var writer = new FileSystemObjectStore(root);
        var reader = new FileSystemObjectStore(root);
        await writer.TryCreateAsync("c-torn", "x", "v0"u8.ToArray(), "type/0");

        var writing = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                var current = (await writer.ReadAsync("c-torn", "x"))!;
                await writer.TryReplaceAsync("c-torn", "x", Encoding.UTF8.GetBytes($"v{i}"), $"type/{i}", current.ETag);
            }
        });
        var reads = 0;
        while (!writing.IsCompleted)
        {
            var seen = (await reader.ReadAsync("c-torn", "x"))!;
            var version = Encoding.UTF8.GetString(seen.Content.Span)[1..];
            Assert.AreEqual($"type/{version}", seen.ContentType, "content and content type come from one version");
            Assert.AreEqual(FileSystemObjectStore.ETagOf(seen.ContentType, seen.Content.Span), seen.ETag);
            reads++;
        }
        await writing;
        Assert.IsTrue(reads > 0);
    }

    [TestMethod]
    public async Task A_temp_file_left_by_a_writer_killed_before_its_rename_is_no_object_and_is_removed_once_old()
    {
        var store = new FileSystemObjectStore(root);
        await store.TryCreateAsync("c-crash", "k.json", "{\"v\":1}"u8.ToArray(), "application/json");
        // What a writer leaves when it dies after writing its new version and before renaming it into place:
        var abandoned = Path.Combine(root, ".tmp", Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(abandoned, "{\"v\":2}");
        var recent = Path.Combine(root, ".tmp", Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(recent, "{\"v\":3}");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-2));

        var restarted = new FileSystemObjectStore(root);

        Assert.AreEqual("{\"v\":1}", Encoding.UTF8.GetString((await restarted.ReadAsync("c-crash", "k.json"))!.Content.Span));
        Assert.IsFalse(File.Exists(abandoned), "an old temp file is removed on start");
        Assert.IsTrue(File.Exists(recent), "a recent one may belong to another process still writing");
    }

    [TestMethod]
    public async Task Writes_go_on_when_someone_deletes_the_stores_temp_and_lock_folders_while_it_runs()
    {
        var store = new FileSystemObjectStore(root);
        Directory.Delete(Path.Combine(root, ".tmp"), recursive: true);
        Directory.Delete(Path.Combine(root, ".locks"), recursive: true);

        var etag = await store.TryCreateAsync("c-cleaned", "k.json", "{}"u8.ToArray(), "application/json");

        Assert.IsNotNull(etag);
        Assert.IsNotNull(await store.TryReplaceAsync("c-cleaned", "k.json", "{\"v\":2}"u8.ToArray(), "application/json", etag));
    }

    [TestMethod]
    public async Task One_name_cannot_be_both_an_object_and_a_folder_of_objects()
    {
        var store = new FileSystemObjectStore(root);
        await store.TryCreateAsync("c-names", "a/b.json", "1"u8.ToArray(), "text/plain");
        await store.TryCreateAsync("c-names", "file", "1"u8.ToArray(), "text/plain");

        var folderAsObject = await Assert.ThrowsAsync<ObjectStoreException>(() => store.TryCreateAsync("c-names", "a", "x"u8.ToArray(), "text/plain"));
        var objectAsFolder = await Assert.ThrowsAsync<ObjectStoreException>(() => store.TryCreateAsync("c-names", "file/child", "x"u8.ToArray(), "text/plain"));

        Assert.AreEqual("NameConflictsWithFolder", folderAsObject.Code);
        Assert.AreEqual("NameConflictsWithFolder", objectAsFolder.Code);
        Assert.IsNull(await store.ReadAsync("c-names", "a"), "a folder is not an object");
    }

    [TestMethod]
    public async Task A_writer_that_cannot_get_the_lock_in_time_fails_with_a_lock_timeout_naming_the_object()
    {
        var store = new FileSystemObjectStore(root, lockTimeout: TimeSpan.FromMilliseconds(50));
        // Held the way another process holds it: an exclusive open of the stripe's lock file.
        using (new FileStream(store.LockFileOf("c-lock", "k"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.TryCreateAsync("c-lock", "k", "x"u8.ToArray(), "text/plain"));
            Assert.AreEqual("LockTimeout", ex.Code);
            StringAssert.Contains(ex.Message, "c-lock/k");
            Assert.IsNull(await store.ReadAsync("c-lock", "k"), "readers take no lock: they answer while a writer holds the stripe");
        }
        Assert.IsNotNull(await store.TryCreateAsync("c-lock", "k", "x"u8.ToArray(), "text/plain"), "the lock is free again");
    }
}
