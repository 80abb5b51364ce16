using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Mapping;
using TestSupport;

namespace OrderEvents.CustomCode.Tests.Idempotency;

/// <summary>
/// The storage a subscriber's custom code costs per message, counted through the functions as workflows call them
/// (by name, tokens passed back as the workflow passes them): a claim and its completion or release are two
/// transactions, a lake write is one, and the answers for redeliveries stay within two. The subscribers' composite
/// steps (prepare, then DecideSettlement closing the claim) are counted too.
/// </summary>
[TestClass]
public sealed class When_a_subscriber_handles_a_message_idempotency_and_the_lake_cost_at_most_two_storage_transactions
{
    private const string Order = """{"messageId":"order-100482-created-v1","eventType":"OrderCreated","schemaVersion":"1.0","occurredUtc":"2026-03-01T08:00:00Z","orderId":"100482"}""";
    private readonly ManualClock clock = new();
    private CountingObjectStore storage = null!;
    private FunctionCatalog catalog = null!;

    [TestInitialize]
    public void CreateCatalog()
    {
        storage = new CountingObjectStore(new InMemoryObjectStore());
        catalog = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(storage, clock, new CustomCodeOptions())));
    }

    [TestMethod]
    public async Task A_claim_then_its_completion_costs_two()
    {
        using var owner = CountingObjectStore.AttributeTo("sap-fulfillment");
        var begin = await Begin("sap-fulfillment");
        var complete = await catalog.InvokeAsync("CompleteIdempotency", new JObject { ["consumer"] = "sap-fulfillment", ["key"] = "order-100482-created-v1", ["claimToken"] = begin["claimToken"], ["result"] = new JObject { ["salesDocument"] = "0000012345" } });

        Assert.AreEqual("Completed", (string?)complete["state"]);
        Assert.AreEqual(2, storage.Of("sap-fulfillment").Transactions);
    }

    [TestMethod]
    public async Task A_claim_then_its_release_after_a_failed_call_costs_two()
    {
        using var owner = CountingObjectStore.AttributeTo("warehouse-inventory");
        var begin = await Begin("warehouse-inventory");
        var release = await catalog.InvokeAsync("ReleaseIdempotency", new JObject { ["consumer"] = "warehouse-inventory", ["key"] = "order-100482-created-v1", ["claimToken"] = begin["claimToken"] });

        Assert.AreEqual("Released", (string?)release["state"]);
        Assert.AreEqual(2, storage.Of("warehouse-inventory").Transactions);
    }

    [TestMethod]
    public async Task A_redelivery_after_completion_costs_two_and_learns_the_stored_result()
    {
        using var owner = CountingObjectStore.AttributeTo("sms-notification");
        var first = await Begin("sms-notification");
        await catalog.InvokeAsync("CompleteIdempotency", new JObject { ["consumer"] = "sms-notification", ["key"] = "order-100482-created-v1", ["claimToken"] = first["claimToken"], ["result"] = "sent" });
        storage.Reset();

        var redelivery = await Begin("sms-notification");

        Assert.AreEqual("AlreadyCompleted", (string?)redelivery["state"]);
        Assert.AreEqual(2, storage.Of("sms-notification").Transactions);
    }

    [TestMethod]
    public async Task A_lake_write_costs_one_and_its_redelivery_two()
    {
        using var owner = CountingObjectStore.AttributeTo("lake-archive");
        var first = await catalog.InvokeAsync("WriteOrderToLake", new JObject { ["orderEvent"] = JObject.Parse(Order) });
        var afterFirst = storage.Of("lake-archive").Transactions;
        var redelivery = await catalog.InvokeAsync("WriteOrderToLake", new JObject { ["orderEvent"] = JObject.Parse(Order) });

        Assert.IsTrue((bool)first["created"]!);
        Assert.IsFalse((bool)redelivery["created"]!);
        Assert.IsFalse((bool)redelivery["conflict"]!);
        Assert.AreEqual(1, afterFirst);
        Assert.AreEqual(3, storage.Of("lake-archive").Transactions);
    }

    [TestMethod]
    public async Task Archiving_a_dead_letter_costs_one()
    {
        using var owner = CountingObjectStore.AttributeTo("sap-fulfillment-dead-letters");
        var deadLetter = new JObject
        {
            ["messageId"] = "order-100482-created-v1", ["sequenceNumber"] = 42, ["enqueuedTimeUtc"] = "2026-03-01T08:00:01Z",
            ["contentData"] = JObject.Parse(Order), ["userProperties"] = new JObject { ["DeadLetterReason"] = "DownstreamRejected" },
        };

        var archived = await catalog.InvokeAsync("ArchiveDeadLetter", new JObject { ["subscriber"] = "sap-fulfillment", ["deadLetter"] = deadLetter });

        Assert.IsTrue((bool)archived["created"]!);
        Assert.AreEqual(1, storage.Of("sap-fulfillment-dead-letters").Transactions);
    }

    [TestMethod]
    public async Task A_warehouse_delivery_prepared_and_settled_costs_two()
    {
        using var owner = CountingObjectStore.AttributeTo("warehouse-inventory");
        var prepared = await catalog.InvokeAsync("PrepareWarehouseRequest", new JObject { ["message"] = Delivery(), ["consumer"] = "warehouse-inventory" });
        var settled = await catalog.InvokeAsync("DecideSettlement", new JObject
        {
            ["outcome"] = "Succeeded", ["deliveryCount"] = 1, ["maxDeliveryCount"] = 10, ["consumer"] = "warehouse-inventory",
            ["key"] = prepared["delivery"]!["messageId"], ["claimToken"] = prepared["delivery"]!["claimToken"],
        });

        Assert.AreEqual("Completed", (string?)settled["claim"]!["closing"]);
        Assert.IsTrue((bool)settled["claim"]!["recorded"]!);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), storage.Of("warehouse-inventory"));
    }

    [TestMethod]
    public async Task A_lake_archive_delivery_costs_one_because_the_lake_file_is_its_own_claim()
    {
        using var owner = CountingObjectStore.AttributeTo("lake-archive");

        var archived = await catalog.InvokeAsync("ArchiveOrderEvent", new JObject { ["message"] = Delivery() });

        Assert.IsTrue((bool)archived["lake"]!["created"]!);
        Assert.AreEqual(1, storage.Of("lake-archive").Transactions);
    }

    /// <summary>The built-in Service Bus trigger's message for a sample order event.</summary>
    private static JObject Delivery() => new()
    {
        ["contentData"] = OrderEventSamples.Event(),
        ["contentType"] = "application/json",
        ["messageId"] = "order-100482-ordercreated-v1",
        ["enqueuedTimeUtc"] = "2024-05-01T09:30:01Z",
        ["deliveryCount"] = 1,
        ["userProperties"] = new JObject(),
    };

    private async Task<JObject> Begin(string consumer) =>
        (JObject)await catalog.InvokeAsync("BeginIdempotency", new JObject { ["consumer"] = consumer, ["key"] = "order-100482-created-v1" });
}
