using System.Text;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;
using TestSupport.Azurite;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>
/// What every <see cref="IObjectStore"/> promises (the Blob service's conditional semantics), run on the in-memory,
/// file-system, SQLite and Blob (Azurite) stores by the derived classes.
/// </summary>
public abstract class ObjectStore_Specs
{
    private const string Json = "application/json";
    private TestStore? testStore;

    protected abstract StoreKind Kind { get; }

    protected virtual AzuriteBlobProcess? Azurite => null;

    protected IObjectStore Store => testStore!.Store;

    protected string Container { get; } = TestStore.NewContainer();

    [TestInitialize]
    public void CreateStore() => testStore = TestStore.Create(Kind, Azurite);

    [TestCleanup]
    public void DeleteStore() => testStore?.Dispose();

    [TestMethod]
    public async Task A_create_succeeds_once_and_a_second_create_of_the_same_name_changes_nothing()
    {
        Assert.IsNotNull(await Store.TryCreateAsync(Container, "a/b.json", Bytes("{\"v\":1}"), Json));
        Assert.IsNull(await Store.TryCreateAsync(Container, "a/b.json", Bytes("{\"v\":2}"), "text/plain"));

        var stored = await Store.ReadAsync(Container, "a/b.json");
        Assert.AreEqual("{\"v\":1}", Text(stored));
        Assert.AreEqual(Json, stored!.ContentType);
    }

    [TestMethod]
    public async Task Reading_a_missing_object_or_from_a_missing_container_returns_null()
    {
        Assert.IsNull(await Store.ReadAsync(Container, "missing.json"));
        Assert.IsNull(await Store.ReadAsync(TestStore.NewContainer("never"), "missing.json"));
    }

    [TestMethod]
    public async Task Content_bytes_and_content_type_are_kept_exactly()
    {
        var bytes = new byte[] { 0, 1, 2, 254, 255, 10, 13 };
        Assert.IsNotNull(await Store.TryCreateAsync(Container, "binary.bin", bytes, "application/octet-stream"));
        Assert.IsNotNull(await Store.TryCreateAsync(Container, "empty.txt", Array.Empty<byte>(), "text/plain; charset=utf-8"));

        var binary = await Store.ReadAsync(Container, "binary.bin");
        CollectionAssert.AreEqual(bytes, binary!.Content.ToArray());
        Assert.AreEqual("application/octet-stream", binary.ContentType);
        var empty = await Store.ReadAsync(Container, "empty.txt");
        Assert.AreEqual(0, empty!.Content.Length);
        Assert.AreEqual("text/plain; charset=utf-8", empty.ContentType);
    }

    [TestMethod]
    public async Task A_replace_with_the_current_etag_succeeds_and_gives_the_object_a_new_etag()
    {
        await Store.TryCreateAsync(Container, "r.json", Bytes("1"), Json);
        var first = await Store.ReadAsync(Container, "r.json");

        Assert.IsNotNull(await Store.TryReplaceAsync(Container, "r.json", Bytes("2"), Json, first!.ETag));

        var second = await Store.ReadAsync(Container, "r.json");
        Assert.AreEqual("2", Text(second));
        Assert.AreNotEqual(first.ETag, second!.ETag);
    }

    [TestMethod]
    public async Task A_create_returns_the_etag_a_read_then_reports()
    {
        var created = await Store.TryCreateAsync(Container, "e.json", Bytes("1"), Json);

        Assert.IsFalse(string.IsNullOrEmpty(created));
        Assert.AreEqual(created, (await Store.ReadAsync(Container, "e.json"))!.ETag);
    }

    [TestMethod]
    public async Task The_etag_a_create_returns_is_enough_to_replace_and_the_replace_returns_the_next_one()
    {
        // The two-transaction claim: a conditional create, then one If-Match write, with no read in between.
        var created = await Store.TryCreateAsync(Container, "claim.json", Bytes("{\"state\":\"InProgress\"}"), Json);

        var completed = await Store.TryReplaceAsync(Container, "claim.json", Bytes("{\"state\":\"Completed\"}"), Json, created!);

        Assert.IsNotNull(completed);
        Assert.AreNotEqual(created, completed);
        var stored = await Store.ReadAsync(Container, "claim.json");
        Assert.AreEqual(completed, stored!.ETag);
        Assert.AreEqual("{\"state\":\"Completed\"}", Text(stored));
        Assert.IsNull(await Store.TryReplaceAsync(Container, "claim.json", Bytes("again"), Json, created!), "the claim's etag is stale once completed");
        Assert.IsTrue(await Store.TryDeleteAsync(Container, "claim.json", completed!));
    }

    [TestMethod]
    public async Task A_replace_that_changes_only_the_content_type_is_a_new_version()
    {
        var created = await Store.TryCreateAsync(Container, "typed.json", Bytes("{}"), Json);

        var retyped = await Store.TryReplaceAsync(Container, "typed.json", Bytes("{}"), "text/plain", created!);

        Assert.IsNotNull(retyped);
        Assert.AreNotEqual(created, retyped);
        Assert.AreEqual("text/plain", (await Store.ReadAsync(Container, "typed.json"))!.ContentType);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("application/json\nX-Injected: 1")]
    [DataRow("text/plain; charset=\u00fc")]
    public async Task A_content_type_that_is_not_a_header_value_is_rejected_and_nothing_is_written(string contentType)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryCreateAsync(Container, "bad-type.json", Bytes("{}"), contentType));

        Assert.IsNull(await Store.ReadAsync(Container, "bad-type.json"));
    }

    [TestMethod]
    public async Task A_replace_with_a_stale_etag_fails_and_keeps_the_newer_content()
    {
        await Store.TryCreateAsync(Container, "r.json", Bytes("1"), Json);
        var stale = (await Store.ReadAsync(Container, "r.json"))!.ETag;
        Assert.IsNotNull(await Store.TryReplaceAsync(Container, "r.json", Bytes("2"), Json, stale));

        Assert.IsNull(await Store.TryReplaceAsync(Container, "r.json", Bytes("3"), Json, stale));

        Assert.AreEqual("2", Text(await Store.ReadAsync(Container, "r.json")));
    }

    [TestMethod]
    public async Task A_replace_or_delete_of_a_missing_object_fails_without_creating_it()
    {
        await Store.TryCreateAsync(Container, "other.json", Bytes("x"), Json);
        var someETag = (await Store.ReadAsync(Container, "other.json"))!.ETag;

        Assert.IsNull(await Store.TryReplaceAsync(Container, "missing.json", Bytes("1"), Json, someETag));
        Assert.IsFalse(await Store.TryDeleteAsync(Container, "missing.json", someETag));
        Assert.IsNull(await Store.ReadAsync(Container, "missing.json"));
    }

    [TestMethod]
    public async Task A_delete_with_a_stale_etag_fails_and_one_with_the_current_etag_removes_the_object()
    {
        await Store.TryCreateAsync(Container, "d.json", Bytes("1"), Json);
        var stale = (await Store.ReadAsync(Container, "d.json"))!.ETag;
        await Store.TryReplaceAsync(Container, "d.json", Bytes("2"), Json, stale);
        var current = (await Store.ReadAsync(Container, "d.json"))!.ETag;

        Assert.IsFalse(await Store.TryDeleteAsync(Container, "d.json", stale));
        Assert.IsNotNull(await Store.ReadAsync(Container, "d.json"));
        Assert.IsTrue(await Store.TryDeleteAsync(Container, "d.json", current));
        Assert.IsNull(await Store.ReadAsync(Container, "d.json"));
        Assert.IsNotNull(await Store.TryCreateAsync(Container, "d.json", Bytes("3"), Json), "a deleted name can be created again");
    }

    [TestMethod]
    public async Task Names_with_slashes_and_partition_folders_are_listed_by_prefix_in_ordinal_order()
    {
        string[] names =
        [
            "orders/OrderCreated/v1/year=2026/month=03/day=01/hour=08/b.json",
            "orders/OrderCreated/v1/year=2026/month=03/day=01/hour=08/a.json",
            "orders/OrderCreated/v1/year=2026/month=03/day=02/hour=00/c.json",
            "orders/OrderUpdated/v1/year=2026/month=03/day=01/hour=08/d.json",
            "deadletters/sap-fulfillment/year=2026/month=03/day=01/e.json",
        ];
        foreach (var name in names)
        {
            Assert.IsNotNull(await Store.TryCreateAsync(Container, name, Bytes(name), Json));
        }

        var created = await ToListAsync(Store.ListAsync(Container, "orders/OrderCreated/"));
        CollectionAssert.AreEqual(names.Take(3).OrderBy(n => n, StringComparer.Ordinal).ToList(), created);
        Assert.AreEqual(5, (await ToListAsync(Store.ListAsync(Container, ""))).Count);
        Assert.AreEqual(0, (await ToListAsync(Store.ListAsync(TestStore.NewContainer("never"), ""))).Count);
        Assert.AreEqual(names[0], Text(await Store.ReadAsync(Container, names[0])));
    }

    [TestMethod]
    public async Task Of_32_concurrent_creates_of_one_name_exactly_one_wins_and_its_content_is_stored()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
            Store.TryCreateAsync(Container, "race/one.json", Bytes($"writer-{i}"), Json))));

        Assert.AreEqual(1, results.Count(r => r is not null));
        var winner = Array.FindIndex(results, r => r is not null);
        Assert.AreEqual($"writer-{winner}", Text(await Store.ReadAsync(Container, "race/one.json")));
    }

    [TestMethod]
    public async Task Of_concurrent_replaces_with_the_same_etag_exactly_one_wins()
    {
        await Store.TryCreateAsync(Container, "race/cas.json", Bytes("start"), Json);
        var etag = (await Store.ReadAsync(Container, "race/cas.json"))!.ETag;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Store.TryReplaceAsync(Container, "race/cas.json", Bytes($"writer-{i}"), Json, etag))));

        Assert.AreEqual(1, results.Count(r => r is not null));
        Assert.AreEqual($"writer-{Array.FindIndex(results, r => r is not null)}", Text(await Store.ReadAsync(Container, "race/cas.json")));
    }

    [TestMethod]
    public async Task Of_concurrent_deletes_with_the_same_etag_exactly_one_wins()
    {
        await Store.TryCreateAsync(Container, "race/del.json", Bytes("start"), Json);
        var etag = (await Store.ReadAsync(Container, "race/del.json"))!.ETag;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Store.TryDeleteAsync(Container, "race/del.json", etag))));

        Assert.AreEqual(1, results.Count(r => r));
    }

    [TestMethod]
    [DataRow("", "Empty")]
    [DataRow("../escape.json", "DotSegment")]
    [DataRow("a/../../escape.json", "DotSegment")]
    [DataRow("a/./b.json", "DotSegment")]
    [DataRow("/etc/passwd", "AbsolutePath")]
    [DataRow("C:/windows/x.json", "AbsolutePath")]
    [DataRow("a//b.json", "EmptySegment")]
    [DataRow("a/b/", "EmptySegment")]
    [DataRow("a\\b.json", "InvalidCharacter")]
    [DataRow("a/b:c.json", "InvalidCharacter")]
    [DataRow("a/b?.json", "InvalidCharacter")]
    [DataRow("a/\u0001.json", "InvalidCharacter")]
    [DataRow("folder./b.json", "TrailingDotOrSpace")]
    public async Task An_unsafe_object_name_is_rejected_naming_the_broken_rule(string name, string reason)
    {
        var ex = await Assert.ThrowsAsync<InvalidObjectNameException>(() => Store.TryCreateAsync(Container, name, Bytes("x"), Json));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
        Assert.AreEqual("name", ex.ParamName);
        await Assert.ThrowsAsync<InvalidObjectNameException>(() => Store.ReadAsync(Container, name));
    }

    [TestMethod]
    [DataRow("UPPER")]
    [DataRow("ab")]
    [DataRow("double--hyphen")]
    [DataRow("../up")]
    public async Task An_invalid_container_name_is_rejected(string container)
    {
        var ex = await Assert.ThrowsAsync<InvalidObjectNameException>(() => Store.TryCreateAsync(container, "a.json", Bytes("x"), Json));
        Assert.AreEqual("InvalidContainerName", ex.Reason);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string? Text(StoredObject? stored) => stored is null ? null : Encoding.UTF8.GetString(stored.Content.Span);

    protected static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> items)
    {
        var list = new List<string>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }

    [TestClass]
    public sealed class InMemory : ObjectStore_Specs
    {
        protected override StoreKind Kind => StoreKind.InMemory;
    }

    [TestClass]
    public sealed class OnFileSystem : ObjectStore_Specs
    {
        protected override StoreKind Kind => StoreKind.FileSystem;
    }

    [TestClass]
    public sealed class OnSqlite : ObjectStore_Specs
    {
        protected override StoreKind Kind => StoreKind.Sqlite;
    }

    [TestClass]
    public sealed class OnAzurite : ObjectStore_Specs
    {
        private static readonly SharedAzurite.Hold Shared = new();

        protected override StoreKind Kind => StoreKind.Azurite;

        protected override AzuriteBlobProcess? Azurite => Shared.Process;

        [ClassInitialize]
        public static Task StartAzurite(TestContext context) => Shared.AcquireAsync();

        [ClassCleanup]
        public static Task StopAzurite() => Shared.ReleaseAsync();
    }
}
