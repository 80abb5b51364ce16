using System.Text;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Mapping.Sap;

/// <summary>
/// A create that may have reached SAP without the run learning it (the reply was lost, SAP refused it as a duplicate
/// customer reference) never gives the order's claim back as fresh: the settlement ends it "outcome unknown", and the
/// next delivery asks SAP for the order by its purchase order number (GetList) instead of creating it. Found: the order
/// is recorded and the message completed. None: the claim is given back and the delivery after creates it.
/// </summary>
[TestClass]
public sealed class When_a_create_ends_with_its_outcome_unknown_the_next_delivery_looks_the_order_up
{
    private readonly ManualClock clock = new(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryObjectStore store = new();
    private SapFulfillmentSteps sap = null!;

    [TestInitialize]
    public void CreateSteps() => sap = new SapFulfillmentSteps(store, clock);

    private static JObject Delivery(int deliveryCount) => SapFulfillmentSteps.Message(SapFulfillmentSteps.Created(), deliveryCount);

    private async Task<JObject> Record() =>
        JObject.Parse(Encoding.UTF8.GetString((await store.ReadAsync("idempotency", "sap-orders/SO-100482.json"))!.Content.Span));

    /// <summary>The first delivery tried the create and saw the call fail (a lost reply).</summary>
    private async Task<JObject> CreateWithTheReplyLost()
    {
        var first = await sap.Prepare(Delivery(1));
        Assert.AreEqual("CreateSalesOrder", (string?)first["sap"]!["operation"]);
        return await sap.Settle(first, "TransientFailure", outcomeUnknown: true);
    }

    [TestMethod]
    public async Task The_claim_is_kept_marked_outcome_unknown_instead_of_being_given_back()
    {
        var settled = await CreateWithTheReplyLost();

        var record = await Record();
        var found = await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" });

        Assert.AreEqual("abandon", (string?)settled["action"]);
        Assert.AreEqual("OutcomeUnknown", (string?)settled["claim"]!["closing"]);
        Assert.IsTrue((bool)settled["claim"]!["recorded"]!);
        Assert.AreEqual("InProgress", (string?)record["state"]);
        Assert.IsTrue((bool)record["outcomeUnknown"]!);
        Assert.AreEqual(clock.GetUtcNow(), record["leaseExpiresUtc"]!.ToObject<DateTimeOffset>(), "the lease ended when the run did");
        Assert.IsFalse((bool)found["found"]!);
        Assert.IsTrue((bool)found["createOutcomeUnknown"]!);
        Assert.IsFalse((bool)found["createInFlight"]!);
    }

    [TestMethod]
    public async Task The_redelivery_takes_the_claim_over_at_once_and_asks_SAP_with_GetList_instead_of_creating()
    {
        await CreateWithTheReplyLost();

        var second = await sap.Prepare(Delivery(2));

        Assert.AreEqual("Started", (string?)second["delivery"]!["claim"], "no waiting for a lease: the first run has ended");
        Assert.IsTrue((bool)second["proceed"]!);
        Assert.AreEqual("FindSalesOrder", (string?)second["sap"]!["operation"]);
        Assert.AreEqual("GETLIST:BAPI_SALESORDER_GETLIST", (string?)second["sap"]!["method"]);
        Assert.AreEqual("BUS2032", (string?)second["sap"]!["businessObject"]);
        Assert.IsFalse((bool)second["sap"]!["autoCommit"]!, "a read commits nothing");
        StringAssert.Contains((string?)second["sap"]!["body"], "<PURCHASE_ORDER>SO-100482</PURCHASE_ORDER>");
    }

    [TestMethod]
    public async Task When_SAP_lists_the_order_it_is_recorded_and_the_message_completes_without_a_second_create()
    {
        await CreateWithTheReplyLost();
        var second = await sap.Prepare(Delivery(2));

        var listed = await sap.RecordListed(second, "12345");
        var settled = await sap.Settle(second, "Succeeded", listed);
        var third = await sap.Prepare(SapFulfillmentSteps.Message(SapFulfillmentSteps.Created(), 3));
        var found = await sap.Invoke("FindSapSalesOrder", new JObject { ["orderId"] = "SO-100482" });

        Assert.IsTrue((bool)listed["succeeded"]!);
        Assert.IsTrue((bool)listed["found"]!);
        Assert.AreEqual("0000012345", (string?)listed["salesDocument"], "one document, however many item rows");
        Assert.IsFalse((bool)listed["outcomeUnknown"]!);
        Assert.AreEqual("complete", (string?)settled["action"]);
        Assert.AreEqual("Completed", (string?)settled["claim"]!["closing"]);
        Assert.AreEqual("0000012345", (string?)found["salesDocument"]);
        Assert.AreEqual("order-100482-ordercreated-v1", (string?)found["createdBy"]);
        Assert.AreEqual("AlreadyCompleted", (string?)third["delivery"]!["claim"]);
    }

    [TestMethod]
    public async Task When_SAP_lists_no_order_the_claim_is_given_back_and_the_delivery_after_creates_it()
    {
        await CreateWithTheReplyLost();
        var second = await sap.Prepare(Delivery(2));

        var listed = await sap.RecordListed(second);
        var settled = await sap.Settle(second, "TransientFailure", listed);
        var third = await sap.Prepare(Delivery(3));

        Assert.IsTrue((bool)listed["succeeded"]!);
        Assert.IsFalse((bool)listed["found"]!);
        Assert.IsFalse((bool)listed["outcomeUnknown"]!, "SAP holds no such order: the earlier create did not happen");
        Assert.AreEqual("Released", (string?)settled["claim"]!["closing"]);
        Assert.AreEqual("Started", (string?)third["delivery"]!["claim"]);
        Assert.AreEqual("CreateSalesOrder", (string?)third["sap"]!["operation"]);
    }

    [TestMethod]
    public async Task When_SAP_lists_two_orders_the_outcome_stays_unknown_and_nothing_is_recorded()
    {
        await CreateWithTheReplyLost();
        var second = await sap.Prepare(Delivery(2));

        var listed = await sap.RecordListed(second, "0000012345", "0000012346");

        Assert.AreEqual(JTokenType.Null, listed["found"]!.Type);
        Assert.AreEqual(JTokenType.Null, listed["salesDocument"]!.Type);
        Assert.IsTrue((bool)listed["outcomeUnknown"]!);
        CollectionAssert.AreEqual(new[] { "0000012345", "0000012346" }, listed["listedSalesDocuments"]!.Values<string>().ToArray());
    }

    [TestMethod]
    public async Task A_lookup_that_fails_too_keeps_the_outcome_unknown_so_the_next_delivery_looks_again()
    {
        await CreateWithTheReplyLost();
        var second = await sap.Prepare(Delivery(2));
        var settled = await sap.Settle(second, "TransientFailure", outcomeUnknown: true);

        var third = await sap.Prepare(Delivery(3));

        Assert.AreEqual("OutcomeUnknown", (string?)settled["claim"]!["closing"]);
        Assert.AreEqual("FindSalesOrder", (string?)third["sap"]!["operation"]);
        Assert.IsTrue((bool)(await Record())["outcomeUnknown"]!, "a taker inherits the mark until it learns the outcome");
    }

    [TestMethod]
    public async Task A_create_refused_as_a_duplicate_customer_reference_has_its_outcome_unknown()
    {
        var first = await sap.Prepare(Delivery(1));

        var refused = await sap.RecordRefused(first, "V4", "115", "Purchase order number SO-100482 already exists in sales document 12345");
        var otherError = await sap.RecordRefused(first, "V1", "001", "Sold-to party is blocked");

        Assert.IsFalse((bool)refused["succeeded"]!);
        Assert.IsTrue((bool)refused["duplicateReference"]!);
        Assert.IsTrue((bool)refused["outcomeUnknown"]!, "the order may exist already: look it up");
        Assert.IsTrue((bool)refused["isTransient"]!);
        Assert.IsFalse((bool)otherError["duplicateReference"]!);
        Assert.IsFalse((bool)otherError["outcomeUnknown"]!);
    }

    [TestMethod]
    public async Task A_duplicate_check_set_to_a_warning_stops_the_auto_commit_and_counts_as_the_same_refusal()
    {
        var first = await sap.Prepare(Delivery(1));

        var warned = await sap.RecordRefused(first, "V4", "115", "Purchase order number SO-100482 already exists in sales document 12345", type: "W");

        Assert.IsFalse((bool)warned["succeeded"]!);
        Assert.IsTrue((bool)warned["notCommitted"]!, "the connector commits no response with warnings");
        Assert.IsTrue((bool)warned["duplicateReference"]!);
        Assert.IsTrue((bool)warned["outcomeUnknown"]!);
    }

    [TestMethod]
    public async Task The_duplicate_refusal_is_the_configured_message_not_a_fixed_number()
    {
        var configured = new SapFulfillmentSteps(store, clock, new CustomCodeOptions { SapDuplicateReferenceMessages = "ZSD/042, V1/0777" });
        var first = await configured.Prepare(Delivery(1));

        var standard = await configured.RecordRefused(first, "V4", "115", "Purchase order number already exists");
        var custom = await configured.RecordRefused(first, "ZSD", "042", "Customer reference already used");
        var padded = await configured.RecordRefused(first, "v1", "777", "Customer reference already used");

        Assert.IsFalse((bool)standard["duplicateReference"]!);
        Assert.IsTrue((bool)custom["duplicateReference"]!);
        Assert.IsTrue((bool)padded["duplicateReference"]!, "message ids compare case-blind and numbers without leading zeros");
    }

    [TestMethod]
    public void The_duplicate_refusal_message_is_an_app_setting_with_V4_115_as_the_default()
    {
        var defaults = CustomCodeOptions.FromSettings(_ => null);
        var set = CustomCodeOptions.FromSettings(name => name == CustomCodeOptions.SapDuplicateReferenceMessagesSetting ? "ZSD/042" : null);

        Assert.AreEqual("V4/115", defaults.SapDuplicateReferenceMessages);
        Assert.AreEqual("ZSD/042", set.SapDuplicateReferenceMessages);
        Assert.AreEqual("Sap_DuplicateReferenceMessages", CustomCodeOptions.SapDuplicateReferenceMessagesSetting);
    }
}
