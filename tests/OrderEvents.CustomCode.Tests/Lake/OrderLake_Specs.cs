using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Lake;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;

namespace OrderEvents.CustomCode.Tests.Lake;

[TestClass]
public sealed class OrderLake_Specs
{
    private readonly InMemoryObjectStore store = new();
    private OrderLake lake = null!;

    [TestInitialize]
    public void CreateLake() => lake = new OrderLake(store, new ManualClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)), "orders-lake");

    [TestMethod]
    public async Task An_order_event_lands_under_type_major_version_and_its_utc_hour()
    {
        var outcome = await lake.WriteOrderAsync(Event("order-100482-created-v1", "OrderCreated", "1.2", "2026-03-01T08:15:30Z"));

        Assert.IsTrue(outcome.Created);
        Assert.IsFalse(outcome.Conflict);
        Assert.AreEqual("orders/OrderCreated/v1/year=2026/month=03/day=01/hour=08/order-100482-created-v1.json", outcome.Path);
        Assert.AreEqual("orders-lake", outcome.Container);
        Assert.IsNotNull(await store.ReadAsync("orders-lake", outcome.Path!));
    }

    [TestMethod]
    [DataRow("2026-03-01T01:30:00+02:00", "year=2026/month=02/day=28/hour=23")]
    [DataRow("2026-12-31T20:00:00-05:00", "year=2027/month=01/day=01/hour=01")]
    [DataRow("2026-07-04T10:59:59.999+00:00", "year=2026/month=07/day=04/hour=10")]
    [DataRow("2026-07-04T10:00:00", "year=2026/month=07/day=04/hour=10")]
    public async Task The_partition_is_the_utc_hour_of_occurred_utc_whatever_offset_the_input_carries(string occurred, string partition)
    {
        var outcome = await lake.WriteOrderAsync(Event("m-1", "OrderUpdated", "2.0", occurred));

        Assert.AreEqual($"orders/OrderUpdated/v2/{partition}/m-1.json", outcome.Path);
    }

    [TestMethod]
    public async Task A_date_that_a_json_reader_already_parsed_is_partitioned_by_its_utc_hour_too()
    {
        var parsed = JObject.Parse(Event("m-2", "OrderCreated", "1.0", "2026-03-01T01:30:00+02:00").ToString(), new JsonLoadSettings());
        var withDateToken = JToken.ReadFrom(new JsonTextReader(new StringReader(parsed.ToString())) { DateParseHandling = DateParseHandling.DateTimeOffset });

        var outcome = await lake.WriteOrderAsync(withDateToken);

        StringAssert.Contains(outcome.Path, "year=2026/month=02/day=28/hour=23/");
    }

    [TestMethod]
    public async Task A_redelivery_of_the_same_event_neither_duplicates_nor_overwrites()
    {
        var first = await lake.WriteOrderAsync(Event("m-3", "OrderCreated", "1.0", "2026-03-01T08:00:00Z"));
        var redelivered = await lake.WriteOrderAsync(JObject.Parse(Event("m-3", "OrderCreated", "1.0", "2026-03-01T08:00:00Z").ToString(Formatting.Indented)));

        Assert.IsTrue(first.Created);
        Assert.IsFalse(redelivered.Created);
        Assert.IsFalse(redelivered.Conflict, "same JSON, other formatting: the same event");
        Assert.AreEqual(first.Path, redelivered.Path);
        Assert.AreEqual(1, await CountAsync(store.ListAsync("orders-lake", "orders/")));
    }

    [TestMethod]
    public async Task Different_content_under_an_existing_path_is_reported_as_a_conflict_and_the_original_is_kept()
    {
        var original = Event("m-4", "OrderCreated", "1.0", "2026-03-01T08:00:00Z");
        await lake.WriteOrderAsync(original);
        var changed = (JObject)original.DeepClone();
        changed["data"]!["amount"] = 999;

        var outcome = await lake.WriteOrderAsync(changed);

        Assert.IsFalse(outcome.Created);
        Assert.IsTrue(outcome.Conflict);
        var stored = JObject.Parse(Encoding.UTF8.GetString((await store.ReadAsync("orders-lake", outcome.Path!))!.Content.Span));
        Assert.AreEqual(10m, (decimal)stored["data"]!["amount"]!);
    }

    [TestMethod]
    public async Task A_message_id_unsafe_as_a_file_name_is_stored_under_its_hashed_name()
    {
        var outcome = await lake.WriteOrderAsync(Event("../../etc/passwd", "OrderCreated", "1.0", "2026-03-01T08:00:00Z"));

        Assert.IsTrue(outcome.Created);
        StringAssert.Matches(outcome.Path, new System.Text.RegularExpressions.Regex("^orders/OrderCreated/v1/year=2026/month=03/day=01/hour=08/_sha256-[0-9a-f]{64}\\.json$"));
    }

    [TestMethod]
    public async Task An_event_missing_what_the_path_needs_is_reported_field_by_field_and_nothing_is_written()
    {
        var outcome = await lake.WriteOrderAsync(JObject.Parse("{\"eventType\":\"Order/Created\",\"schemaVersion\":\"one\",\"occurredUtc\":\"yesterday\"}"));

        Assert.IsFalse(outcome.IsValid);
        Assert.IsNull(outcome.Path);
        CollectionAssert.AreEquivalent(
            new[] { "orderEvent.messageId", "orderEvent.eventType", "orderEvent.schemaVersion", "orderEvent.occurredUtc" },
            outcome.Problems.Select(p => p.Path).ToArray());
        Assert.AreEqual(0, await CountAsync(store.ListAsync("orders-lake", "")));
    }

    [TestMethod]
    public async Task Something_other_than_a_json_object_is_reported_not_thrown()
    {
        var outcome = await lake.WriteOrderAsync(new JArray());

        Assert.AreEqual("NotAnObject", outcome.Problems.Single().Code);
    }

    [TestMethod]
    public async Task On_the_file_system_the_partitions_are_real_folders()
    {
        var root = Directory.CreateTempSubdirectory("lake-").FullName;
        try
        {
            var onDisk = new OrderLake(new FileSystemObjectStore(root), new ManualClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)), "orders-lake");
            var outcome = await onDisk.WriteOrderAsync(Event("m-5", "OrderCancelled", "1.0", "2026-03-01T08:00:00Z"));

            Assert.IsTrue(File.Exists(Path.Combine(root, "orders-lake", "orders", "OrderCancelled", "v1", "year=2026", "month=03", "day=01", "hour=08", "m-5.json")), outcome.Path);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task An_appended_property_is_written_as_setting_it_on_a_copy_of_the_event_would_write_it(bool eventHasIt)
    {
        var orderEvent = Event("m-9", "OrderCreated", "1.0", "2026-03-01T08:00:00Z");
        ((JObject)orderEvent["data"]!)["note"] = "Müller \u2028 \"quoted\" \U0001F600";
        if (eventHasIt) orderEvent.AddFirst(new JProperty("audit", "from the publisher"));
        var before = orderEvent.ToString(Formatting.None);
        var audit = new JObject { ["publishedBy"] = null, ["publishedUtc"] = "2026-03-01T08:00:01Z" };
        var copy = (JObject)orderEvent.DeepClone();
        copy["audit"] = audit.DeepClone();

        var outcome = await lake.WriteOrderAsync(orderEvent, ("audit", audit));

        var stored = await store.ReadAsync("orders-lake", outcome.Path!);
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(copy.ToString(Formatting.None)), stored!.Content.ToArray());
        Assert.AreEqual(before, orderEvent.ToString(Formatting.None), "the event itself is left as it was");
    }

    internal static JObject Event(string messageId, string eventType, string schemaVersion, string occurredUtc) => new()
    {
        ["schemaVersion"] = schemaVersion,
        ["messageId"] = messageId,
        ["correlationId"] = "corr-1",
        ["eventType"] = eventType,
        ["source"] = "dataverse",
        ["occurredUtc"] = occurredUtc,
        ["data"] = new JObject { ["orderId"] = "100482", ["amount"] = 10m, ["currency"] = "EUR" },
    };

    private static async Task<int> CountAsync(IAsyncEnumerable<string> items)
    {
        var count = 0;
        await foreach (var _ in items)
        {
            count++;
        }
        return count;
    }
}
