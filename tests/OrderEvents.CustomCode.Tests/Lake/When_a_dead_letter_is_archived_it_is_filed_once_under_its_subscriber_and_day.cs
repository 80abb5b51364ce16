using System.Text;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Lake;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;

namespace OrderEvents.CustomCode.Tests.Lake;

[TestClass]
public sealed class When_a_dead_letter_is_archived_it_is_filed_once_under_its_subscriber_and_day
{
    private readonly InMemoryObjectStore store = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));
    private OrderLake lake = null!;

    [TestInitialize]
    public void CreateLake() => lake = new OrderLake(store, clock, "orders-lake");

    [TestMethod]
    public async Task A_dead_letter_is_archived_under_its_subscriber_and_enqueue_day_with_body_properties_reason_and_source()
    {
        var outcome = await lake.ArchiveDeadLetterAsync("sap-fulfillment", DeadLetter("order-1-created-v1", 41, "lock-a", 1));

        Assert.IsTrue(outcome.Created);
        Assert.AreEqual("deadletters/sap-fulfillment/year=2026/month=03/day=01/order-1-created-v1.json", outcome.Path);
        var archived = await ReadAsync(outcome.Path!);
        Assert.AreEqual("MaxDeliveryCountExceeded", (string?)archived["reason"]);
        Assert.AreEqual("Message could not be consumed after 10 delivery attempts.", (string?)archived["description"]);
        Assert.AreEqual("orders/subscriptions/sap-fulfillment", (string?)archived["sourceSubscription"]);
        Assert.AreEqual("order-1-created-v1", (string?)archived["body"]!["messageId"]);
        Assert.AreEqual("corr-1", (string?)archived["properties"]!["correlationId"]);
        Assert.AreEqual("OrderCreated", (string?)archived["properties"]!["userProperties"]!["eventType"]);
        Assert.AreEqual("lock-a", (string?)archived["delivery"]!["lockToken"]);
        Assert.AreEqual("2026-03-05T12:00:00.000Z", (string?)archived["delivery"]!["archivedUtc"]);
    }

    [TestMethod]
    public async Task The_source_named_by_a_forwarded_dead_letter_is_kept()
    {
        var message = DeadLetter("order-1-created-v1", 41, "lock-a", 1);
        message["deadletterSource"] = "orders/Subscriptions/sap-fulfillment";

        var outcome = await lake.ArchiveDeadLetterAsync("sap-fulfillment", message);

        Assert.AreEqual("orders/Subscriptions/sap-fulfillment", (string?)(await ReadAsync(outcome.Path!))["sourceSubscription"]);
    }

    [TestMethod]
    public async Task A_redelivered_dead_letter_with_a_new_lock_and_delivery_count_is_recognised_as_already_archived()
    {
        var first = await lake.ArchiveDeadLetterAsync("sms-notification", DeadLetter("order-2-created-v1", 7, "lock-a", 1));
        clock.Advance(TimeSpan.FromMinutes(3));
        var again = await lake.ArchiveDeadLetterAsync("sms-notification", DeadLetter("order-2-created-v1", 7, "lock-b", 2));

        Assert.IsFalse(again.Created);
        Assert.IsFalse(again.Conflict);
        Assert.AreEqual(first.Path, again.Path);
        Assert.AreEqual("lock-a", (string?)(await ReadAsync(first.Path!))["delivery"]!["lockToken"]);
    }

    [TestMethod]
    public async Task The_same_message_dead_lettered_again_for_another_reason_is_kept_beside_the_first()
    {
        var first = await lake.ArchiveDeadLetterAsync("sap-fulfillment", DeadLetter("order-3-created-v1", 10, "lock-a", 1));
        var resubmitted = DeadLetter("order-3-created-v1", 99, "lock-b", 1);
        resubmitted["userProperties"]!["DeadLetterReason"] = "DownstreamRejected";

        var second = await lake.ArchiveDeadLetterAsync("sap-fulfillment", resubmitted);

        Assert.IsTrue(second.Created);
        Assert.IsTrue(second.Conflict);
        Assert.AreEqual("deadletters/sap-fulfillment/year=2026/month=03/day=01/order-3-created-v1.seq-99.json", second.Path);
        Assert.AreEqual("MaxDeliveryCountExceeded", (string?)(await ReadAsync(first.Path!))["reason"]);
    }

    [TestMethod]
    public async Task A_dead_letter_without_a_message_id_is_named_by_its_sequence_number()
    {
        var message = DeadLetter("x", 12345, "lock-a", 1);
        message.Remove("messageId");

        var outcome = await lake.ArchiveDeadLetterAsync("warehouse-inventory", message);

        Assert.AreEqual("deadletters/warehouse-inventory/year=2026/month=03/day=01/seq-12345.json", outcome.Path);
    }

    [TestMethod]
    public async Task A_dead_letter_without_an_enqueue_time_is_filed_under_the_day_it_was_archived()
    {
        var message = DeadLetter("order-4", 1, "lock-a", 1);
        message.Remove("enqueuedTimeUtc");

        var outcome = await lake.ArchiveDeadLetterAsync("lake-archive", message);

        StringAssert.StartsWith(outcome.Path, "deadletters/lake-archive/year=2026/month=03/day=05/");
    }

    [TestMethod]
    public async Task A_bad_subscriber_or_a_message_without_identity_is_reported_and_nothing_is_written()
    {
        var anonymous = new JObject { ["contentData"] = "x" };

        var outcome = await lake.ArchiveDeadLetterAsync("../SAP", anonymous);

        CollectionAssert.AreEquivalent(new[] { "InvalidSubscriber", "MissingIdentity" }, outcome.Problems.Select(p => p.Code).ToArray());
        Assert.IsNull(outcome.Path);
        Assert.AreEqual("NotAnObject", (await lake.ArchiveDeadLetterAsync("sap-fulfillment", new JValue("text"))).Problems.Single().Code);
    }

    internal static JObject DeadLetter(string messageId, long sequenceNumber, string lockToken, int deliveryCount) => new()
    {
        ["contentData"] = new JObject { ["messageId"] = messageId, ["eventType"] = "OrderCreated" },
        ["contentType"] = "application/json",
        ["messageId"] = messageId,
        ["correlationId"] = "corr-1",
        ["sessionId"] = null,
        ["userProperties"] = new JObject
        {
            ["eventType"] = "OrderCreated",
            ["DeadLetterReason"] = "MaxDeliveryCountExceeded",
            ["DeadLetterErrorDescription"] = "Message could not be consumed after 10 delivery attempts.",
        },
        ["lockToken"] = lockToken,
        ["lockedUntilUtc"] = "2026-03-05T12:01:00Z",
        ["deliveryCount"] = deliveryCount,
        ["enqueuedSequenceNumber"] = 3,
        ["enqueuedTimeUtc"] = "2026-03-01T23:59:00Z",
        ["sequenceNumber"] = sequenceNumber,
    };

    private async Task<JObject> ReadAsync(string path) =>
        Newtonsoft.Json.JsonConvert.DeserializeObject<JObject>(Encoding.UTF8.GetString((await store.ReadAsync("orders-lake", path))!.Content.Span),
            new Newtonsoft.Json.JsonSerializerSettings { DateParseHandling = Newtonsoft.Json.DateParseHandling.None })!;
}
