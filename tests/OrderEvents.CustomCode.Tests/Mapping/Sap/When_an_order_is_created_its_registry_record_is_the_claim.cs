using System.Text;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sap;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

/// <summary>
/// An OrderCreated claims its ORDER: the order's record in the SAP registry (<c>sap-orders/{orderId}.json</c>) is
/// created "in progress" with a lease and completed with the sales document. Whatever message id a create carries,
/// one order gets one SAP document; leases, takeovers and releases behave as for every idempotency claim.
/// </summary>
[TestClass]
public sealed class When_an_order_is_created_its_registry_record_is_the_claim
{
    private readonly ManualClock clock = new(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryObjectStore store = new();
    private SapFulfillmentSteps sap = null!;

    [TestInitialize]
    public void CreateSteps() => sap = new SapFulfillmentSteps(store, clock);

    [TestMethod]
    public async Task The_created_record_holds_the_sales_document_and_the_message_that_created_it()
    {
        await sap.Fulfil(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created("order-100482-ordercreated-v1")), "0000012345");

        var found = await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" });
        var record = JObject.Parse(Encoding.UTF8.GetString((await store.ReadAsync("idempotency", "sap-orders/SO-100482.json"))!.Content.Span));

        Assert.IsTrue((bool)found["found"]!);
        Assert.AreEqual("0000012345", (string?)found["salesDocument"]);
        Assert.AreEqual("order-100482-ordercreated-v1", (string?)found["createdBy"]);
        Assert.AreEqual("2024-05-01T10:00:00.0000000Z", (string?)found["recordedUtc"]);
        Assert.AreEqual("Completed", (string?)record["state"]);
        Assert.AreEqual("CreateSalesOrder", (string?)record["result"]!["operation"]);
    }

    [TestMethod]
    public async Task A_second_OrderCreated_with_another_message_id_claims_nothing_and_sends_nothing()
    {
        await sap.Fulfil(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created("order-100482-ordercreated-v1")), "0000012345");

        var second = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created("order-100482-ordercreated-v1-republished")));
        var settled = await sap.Settle(second, "Skipped");

        Assert.IsFalse((bool)second["proceed"]!);
        Assert.AreEqual("AlreadyCreated", (string?)second["sap"]!["operation"]);
        Assert.AreEqual("0000012345", (string?)second["sap"]!["salesDocument"]);
        Assert.AreEqual(JTokenType.Null, second["delivery"]!["claim"]!.Type, "no claim: the order's create is done");
        Assert.AreEqual("None", (string?)settled["claim"]!["closing"]);
        Assert.AreEqual("order-100482-ordercreated-v1", (string?)(await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" }))["createdBy"],
            "the first create stays on record");
    }

    [TestMethod]
    public async Task The_same_message_again_is_already_completed_with_the_recorded_result()
    {
        var message = SapFulfillmentSteps.Message(SapFulfillmentSteps.Created());
        await sap.Fulfil(message, "0000012345");

        var again = await sap.Prepare(message);

        Assert.IsFalse((bool)again["proceed"]!);
        Assert.AreEqual("AlreadyCompleted", (string?)again["delivery"]!["claim"]);
        Assert.AreEqual("0000012345", (string?)again["delivery"]!["earlierResult"]!["salesDocument"]);
    }

    [TestMethod]
    [DataRow("order-100482-ordercreated-v1")]
    [DataRow("order-100482-ordercreated-v1-republished")]
    public async Task While_a_create_holds_the_order_any_OrderCreated_of_it_backs_off_until_the_lease_ends(string messageId)
    {
        var first = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created("order-100482-ordercreated-v1")));
        clock.Advance(TimeSpan.FromMinutes(5));

        var other = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created(messageId)));

        Assert.AreEqual("Started", (string?)first["delivery"]!["claim"]);
        Assert.AreEqual("sap-orders", (string?)first["delivery"]!["claimConsumer"]);
        Assert.AreEqual("SO-100482", (string?)first["delivery"]!["claimKey"]);
        Assert.AreEqual("InProgressElsewhere", (string?)other["delivery"]!["claim"]);
        Assert.IsFalse((bool)other["proceed"]!);
        Assert.AreEqual("2024-05-01T10:15:00.000Z", (string?)other["delivery"]!["leaseExpiresUtc"], "the 900-second lease of the first claim");
        Assert.IsNull((string?)other["delivery"]!["claimToken"]);
    }

    [TestMethod]
    public async Task After_the_lease_a_redelivery_takes_the_create_over_looks_the_order_up_and_the_late_run_cannot_complete_it()
    {
        var message = SapFulfillmentSteps.Message(SapFulfillmentSteps.Created());
        var late = await sap.Prepare(message);
        clock.Advance(TimeSpan.FromSeconds(901));

        var takeover = await sap.Prepare(message);
        await sap.Settle(takeover, "Succeeded", await sap.RecordListed(takeover, "0000012345"));
        var lateSettled = await sap.Settle(late, "Succeeded", await sap.RecordCommitted(late, "0000012345"));

        Assert.AreEqual("Started", (string?)takeover["delivery"]!["claim"]);
        Assert.IsTrue((bool)takeover["proceed"]!);
        Assert.AreEqual("FindSalesOrder", (string?)takeover["sap"]!["operation"], "the late run may have created the order: ask SAP first");
        Assert.AreNotEqual((string?)late["delivery"]!["claimToken"], (string?)takeover["delivery"]!["claimToken"]);
        Assert.IsFalse((bool)lateSettled["claim"]!["recorded"]!, "the late run's claim was taken over");
        Assert.AreEqual("complete", (string?)lateSettled["action"], "the settlement follows the outcome, not the bookkeeping");
        Assert.AreEqual("0000012345", (string?)(await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" }))["salesDocument"]);
    }

    [TestMethod]
    public async Task A_failed_create_gives_the_order_back_and_the_redelivery_creates_it()
    {
        var message = SapFulfillmentSteps.Message(SapFulfillmentSteps.Created());
        var failed = await sap.Prepare(message);
        await sap.Settle(failed, "TransientFailure");

        var inFlight = await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" });
        var retry = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created(), deliveryCount: 2));

        Assert.IsFalse((bool)inFlight["found"]!);
        Assert.IsFalse((bool)inFlight["createInFlight"]!, "the released claim left no record");
        Assert.AreEqual("Started", (string?)retry["delivery"]!["claim"]);
        Assert.AreEqual("CreateSalesOrder", (string?)retry["sap"]!["operation"]);
    }

    [TestMethod]
    public async Task While_the_create_is_in_flight_the_lookup_finds_no_document_and_says_so()
    {
        await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created()));

        var found = await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" });

        Assert.IsFalse((bool)found["found"]!);
        Assert.IsTrue((bool)found["createInFlight"]!);
        Assert.AreEqual(JTokenType.Null, found["salesDocument"]!.Type);
    }

    [TestMethod]
    public async Task A_record_of_the_earlier_format_counts_as_a_created_order()
    {
        var legacy = """{"orderId":"SO-100482","salesDocument":"0000012345","recordedUtc":"2024-04-30T08:00:00.0000000Z"}""";
        await store.TryCreateAsync("idempotency", "sap-orders/SO-100482.json", Encoding.UTF8.GetBytes(legacy), "application/json");

        var create = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created()));
        var cancel = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Changed("OrderCancelled")));

        Assert.IsFalse((bool)create["proceed"]!);
        Assert.AreEqual("AlreadyCreated", (string?)create["sap"]!["operation"]);
        Assert.AreEqual("0000012345", (string?)create["sap"]!["salesDocument"]);
        Assert.IsTrue((bool)cancel["proceed"]!);
        Assert.AreEqual("0000012345", (string?)cancel["sap"]!["salesDocument"]);
        Assert.AreEqual(legacy, Encoding.UTF8.GetString((await store.ReadAsync("idempotency", "sap-orders/SO-100482.json"))!.Content.Span), "never rewritten");
    }

    [TestMethod]
    public async Task A_created_order_whose_document_was_not_recorded_is_still_never_created_again()
    {
        await sap.Fulfil(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created("order-100482-ordercreated-v1")), salesDocument: null);

        var second = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created("order-100482-ordercreated-v2")));

        Assert.IsFalse((bool)second["proceed"]!);
        Assert.AreEqual("AlreadyCreated", (string?)second["sap"]!["operation"]);
        Assert.AreEqual(JTokenType.Null, second["sap"]!["salesDocument"]!.Type);
    }

    [TestMethod]
    public void The_record_of_an_order_is_named_after_its_id_and_a_hostile_id_stays_one_segment()
    {
        Assert.AreEqual("sap-orders/SO-100482.json", SapSalesOrderRegistry.RecordName("SO-100482"));
        StringAssert.Matches(SapSalesOrderRegistry.RecordName("../x/y"), new System.Text.RegularExpressions.Regex("^sap-orders/_sha256-[0-9a-f]{64}\\.json$"));
    }
}
