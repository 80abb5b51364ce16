using System.Text;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>What the file-system store does beyond the shared behaviour: its folder layout, independent instances
/// (as separate processes would be) on one folder, torn-state safety and crash leftovers.</summary>
[TestClass]
public sealed class FileSystemObjectStore_Specs
{
    private string root = null!;

    [TestInitialize]
    public void CreateRoot() => root = Directory.CreateTempSubdirectory("fs-store-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(root, recursive: true);

    [TestMethod]
    public async Task Content_lies_byte_for_byte_under_container_and_name_folders_for_ordinary_tools()
    {
        var store = new FileSystemObjectStore(root);

        await store.TryCreateAsync("orders-lake", "orders/OrderCreated/v1/year=2026/m.json", "{\"a\":1}"u8.ToArray(), "application/json");

        var file = Path.Combine(root, "orders-lake", "orders", "OrderCreated", "v1", "year=2026", "m.json");
        Assert.AreEqual("{\"a\":1}", File.ReadAllText(file));
        CollectionAssert.AreEqual(new[] { "orders-lake" }, Directory.GetDirectories(root).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToArray());
    }

    [TestMethod]
    public async Task Separate_store_instances_on_one_folder_still_let_exactly_one_create_and_one_replace_win()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => new FileSystemObjectStore(root)).ToArray();

        var creates = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryCreateAsync("c-one", "k.json", Encoding.UTF8.GetBytes($"{i}"), "text/plain"))));
        var etag = (await stores[0].ReadAsync("c-one", "k.json"))!.ETag;
        var replaces = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryReplaceAsync("c-one", "k.json", Encoding.UTF8.GetBytes($"r{i}"), "text/plain", etag))));

        Assert.AreEqual(1, creates.Count(c => c));
        Assert.AreEqual(1, replaces.Count(r => r));
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
    public async Task Content_whose_sidecar_was_lost_in_a_crash_stays_readable_and_replaceable()
    {
        var store = new FileSystemObjectStore(root);
        await store.TryCreateAsync("c-crash", "a/b.json", "{}"u8.ToArray(), "application/json");
        File.Delete(Path.Combine(root, ".metadata", "c-crash", "a", "b.json.meta"));

        var read = await store.ReadAsync("c-crash", "a/b.json");

        Assert.AreEqual("{}", Encoding.UTF8.GetString(read!.Content.Span));
        Assert.AreEqual("application/octet-stream", read.ContentType, "the type is unknown once its sidecar is gone");
        Assert.IsTrue(await store.TryReplaceAsync("c-crash", "a/b.json", "{\"v\":2}"u8.ToArray(), "application/json", read.ETag));
    }

    [TestMethod]
    public async Task A_sidecar_written_by_a_writer_that_crashed_before_its_commit_does_not_hide_the_committed_version()
    {
        var store = new FileSystemObjectStore(root);
        await store.TryCreateAsync("c-crash", "k", "old"u8.ToArray(), "text/old");
        var committed = (await store.ReadAsync("c-crash", "k"))!;
        // What a writer leaves when it dies after writing the sidecar of "new" and before renaming the content:
        var sidecar = Path.Combine(root, ".metadata", "c-crash", "k.meta");
        File.WriteAllText(sidecar, "{\"Current\":{\"ContentType\":\"text/new\",\"ETag\":\"\\\"x\\\"\"},\"Previous\":{\"ContentType\":\"text/old\",\"ETag\":" + Newtonsoft.Json.JsonConvert.ToString(committed.ETag) + "}}");

        var read = (await store.ReadAsync("c-crash", "k"))!;

        Assert.AreEqual("old", Encoding.UTF8.GetString(read.Content.Span));
        Assert.AreEqual("text/old", read.ContentType);
        Assert.AreEqual(committed.ETag, read.ETag);
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
        var lockFile = Path.Combine(root, ".locks", "c-lock", "k.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.TryCreateAsync("c-lock", "k", "x"u8.ToArray(), "text/plain"));
            Assert.AreEqual("LockTimeout", ex.Code);
            StringAssert.Contains(ex.Message, "c-lock/k");
        }
        Assert.IsTrue(await store.TryCreateAsync("c-lock", "k", "x"u8.ToArray(), "text/plain"), "the lock is free again");
    }
}
