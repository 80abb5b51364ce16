using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Mapping.Sap;

namespace OrderEvents.CustomCode.Tests.Idempotency;

/// <summary>
/// The storage SapFulfillment's custom code costs per message, counted through its three steps as the workflow calls
/// them. An OrderCreated claims the order itself (its registry record is the claim): a conditional create, then one
/// If-Match write that stores the sales document. An update or cancellation reads the sales document (the one business
/// lookup) and claims its message id: a create, then a replace.
/// </summary>
[TestClass]
public sealed class When_SAP_fulfils_an_order_a_create_costs_two_storage_transactions_and_a_change_its_lookup_and_two
{
    private readonly ManualClock clock = new(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero));
    private CountingObjectStore storage = null!;
    private SapFulfillmentSteps sap = null!;

    [TestInitialize]
    public void CreateSteps()
    {
        storage = new CountingObjectStore(new InMemoryObjectStore());
        sap = new SapFulfillmentSteps(storage, clock);
    }

    [TestMethod]
    public async Task An_OrderCreated_costs_one_conditional_create_and_one_if_match_write()
    {
        var settled = await sap.Fulfil(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created()));

        Assert.AreEqual("complete", (string?)settled["action"]);
        Assert.AreEqual("Completed", (string?)settled["claim"]!["closing"]);
        Assert.IsTrue((bool)settled["claim"]!["recorded"]!);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), storage.Total);
    }

    [TestMethod]
    [DataRow("OrderUpdated")]
    [DataRow("OrderCancelled")]
    public async Task A_change_costs_the_lookup_of_its_sales_document_and_two_for_its_claim(string eventType)
    {
        await sap.Fulfil(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created()));
        storage.Reset();

        var prepared = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Changed(eventType)));
        var settled = await sap.Settle(prepared, "Succeeded", await sap.RecordCommitted(prepared, null));

        Assert.AreEqual("0000012345", (string?)prepared["sap"]!["salesDocument"], "the lookup found the document the create recorded");
        Assert.AreEqual("Completed", (string?)settled["claim"]!["closing"]);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 1, Replaces: 1, Deletes: 0, Lists: 0), storage.Total);
    }

    [TestMethod]
    public async Task A_lost_reply_costs_two_and_the_look_up_that_finds_the_order_four()
    {
        var lost = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created()));
        await sap.Settle(lost, "TransientFailure", outcomeUnknown: true);
        var first = storage.Total;
        storage.Reset();

        var lookup = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created(), deliveryCount: 2));
        var settled = await sap.Settle(lookup, "Succeeded", await sap.RecordListed(lookup, "0000012345"));

        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), first, "the claim, then the If-Match write that ends it outcome unknown");
        Assert.AreEqual("Completed", (string?)settled["claim"]!["closing"]);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 1, Replaces: 2, Deletes: 0, Lists: 0), storage.Total,
            "the failed create, the read, the takeover and the completion");
    }

    [TestMethod]
    public async Task A_redelivered_OrderCreated_costs_two_and_writes_nothing()
    {
        var message = SapFulfillmentSteps.Message(SapFulfillmentSteps.Created());
        await sap.Fulfil(message);
        storage.Reset();

        var prepared = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created(), deliveryCount: 2));
        await sap.Settle(prepared, "AlreadyCompleted");

        Assert.AreEqual("AlreadyCompleted", (string?)prepared["delivery"]!["claim"]);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 1, Replaces: 0, Deletes: 0, Lists: 0), storage.Total);
    }

    [TestMethod]
    public async Task A_failed_create_costs_two_the_claim_and_its_release()
    {
        var prepared = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created()));

        var settled = await sap.Settle(prepared, "TransientFailure");

        Assert.AreEqual("Released", (string?)settled["claim"]!["closing"]);
        Assert.IsTrue((bool)settled["claim"]!["recorded"]!);
        Assert.AreEqual(new StorageOperationCounts(Creates: 1, Reads: 0, Replaces: 0, Deletes: 1, Lists: 0), storage.Total);
    }
}
