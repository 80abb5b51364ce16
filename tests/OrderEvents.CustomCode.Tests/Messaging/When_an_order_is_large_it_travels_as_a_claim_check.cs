using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Messaging;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Messaging;

[TestClass]
public sealed class When_an_order_is_large_it_travels_as_a_claim_check
{
    private const string ExpectedPath = "claimchecks/OrderCreated/v1/2025/03/01/order-200001-created-v1.json";

    [TestMethod]
    public async Task An_order_above_the_threshold_is_stored_and_the_message_carries_a_verified_reference()
    {
        var store = new InMemoryObjectStore();
        var large = ClaimCheckTestData.LargeOrder();
        var serialized = OrderEventJson.ToUtf8(large);
        Assert.IsTrue(serialized.Length > 192 * 1024, "the test order must exceed the default threshold");

        var result = await new ServiceBusMessageBuilder(Services.InMemory(store)).BuildAsync(large, null);

        Assert.IsTrue(result.IsValid, string.Join("; ", result.Errors));
        Assert.IsTrue(result.ClaimCheck);
        var reference = result.PayloadReference!;
        Assert.AreEqual(ExpectedPath, reference.Path);
        Assert.AreEqual("orders-lake", reference.Container);
        Assert.AreEqual(serialized.Length, reference.SizeBytes);
        Assert.AreEqual(ClaimChecks.Sha256Hex(serialized), reference.Sha256);

        var stored = await store.ReadAsync("orders-lake", ExpectedPath);
        CollectionAssert.AreEqual(serialized, stored!.Content.ToArray());

        var body = result.Message!.ContentData;
        Assert.IsNull(body["data"], "a claim-check body has no data");
        Assert.AreEqual(ExpectedPath, (string?)body["payloadReference"]!["path"]);
        Assert.IsTrue(OrderEventValidator.Validate(body).IsValid, "the claim-check body itself follows the contract");
        Assert.IsTrue(OrderEventJson.ToUtf8(body).Length < 1024);
        Assert.AreEqual("200001", result.Message.SessionId);
        Assert.AreEqual(true, result.Message.UserProperties[OrderMessageProperties.ClaimCheck]);
        Assert.AreEqual(true, result.Message.UserProperties[OrderMessageProperties.SmsOptIn]);
    }

    [TestMethod]
    public async Task The_threshold_comes_from_the_options()
    {
        var small = Samples.ValidEvent();
        var size = OrderEventJson.ToUtf8(small).Length;

        var atThreshold = await new ServiceBusMessageBuilder(Services.InMemory(claimCheckThresholdBytes: size)).BuildAsync(small, null);
        var belowThreshold = await new ServiceBusMessageBuilder(Services.InMemory(claimCheckThresholdBytes: size - 1)).BuildAsync(small, null);

        Assert.IsFalse(atThreshold.ClaimCheck, "exactly the threshold travels inline");
        Assert.IsTrue(belowThreshold.ClaimCheck, "one byte more than the threshold is claim-checked");
    }

    [TestMethod]
    public async Task The_threshold_counts_the_bytes_of_the_UTF8_text_not_its_characters()
    {
        var unicode = Samples.ValidEvent();
        unicode["data"]!["customer"]!["name"] = "Zoë Ōtsuka-Müller 👩‍🍳 東京 \"quoted\" \\ é";
        var size = OrderEventJson.ToUtf8(unicode).Length;

        var atThreshold = await new ServiceBusMessageBuilder(Services.InMemory(claimCheckThresholdBytes: size)).BuildAsync(unicode, null);
        var belowThreshold = await new ServiceBusMessageBuilder(Services.InMemory(claimCheckThresholdBytes: size - 1)).BuildAsync(unicode, null);

        Assert.AreEqual(size, OrderEventJson.Utf8Length(unicode));
        Assert.IsFalse(atThreshold.ClaimCheck, "exactly the threshold travels inline");
        Assert.IsTrue(belowThreshold.ClaimCheck, "one byte more than the threshold is claim-checked");
    }

    [TestMethod]
    public async Task Building_the_same_large_event_twice_reuses_the_stored_payload()
    {
        var store = new InMemoryObjectStore();
        var builder = new ServiceBusMessageBuilder(Services.InMemory(store));

        var first = await builder.BuildAsync(ClaimCheckTestData.LargeOrder(), null);
        var second = await builder.BuildAsync(ClaimCheckTestData.LargeOrder(), null);

        Assert.IsTrue(second.IsValid, string.Join("; ", second.Errors));
        Assert.AreEqual(first.PayloadReference, second.PayloadReference);
    }

    [TestMethod]
    public async Task A_different_event_under_a_reused_message_id_is_a_conflict_not_an_overwrite()
    {
        var store = new InMemoryObjectStore();
        var builder = new ServiceBusMessageBuilder(Services.InMemory(store));
        await builder.BuildAsync(ClaimCheckTestData.LargeOrder(), null);
        var changed = ClaimCheckTestData.LargeOrder();
        changed["data"]!["amount"] = 999;

        var result = await builder.BuildAsync(changed, null);

        Assert.IsFalse(result.IsValid);
        Assert.AreEqual(("$.messageId", ContractErrorCodes.ClaimCheckConflict), (result.Errors.Single().Path, result.Errors.Single().Code));
        var stored = await store.ReadAsync("orders-lake", ExpectedPath);
        CollectionAssert.AreEqual(OrderEventJson.ToUtf8(ClaimCheckTestData.LargeOrder()), stored!.Content.ToArray(), "the first payload stays");
    }

    [TestMethod]
    public async Task A_large_order_round_trips_through_build_and_read()
    {
        var services = Services.InMemory();
        var large = ClaimCheckTestData.LargeOrder();

        var built = await new ServiceBusMessageBuilder(services).BuildAsync(large, "intake-42");
        var read = await new OrderMessageReader(services).ReadAsync(built.Message!.ContentData, built.Message.ContentType);

        Assert.IsTrue(read.IsValid, string.Join("; ", read.Errors));
        Assert.IsTrue(read.ClaimCheck);
        Assert.AreEqual(1000, read.Event!.Data!.Lines.Count);
        Assert.AreEqual("intake-42", read.CorrelationId);
        Assert.AreEqual("intake-42", (string?)read.OrderEvent!["correlationId"]);
        large["correlationId"] = "intake-42";
        Assert.IsTrue(JToken.DeepEquals(large, read.OrderEvent));
    }

    [TestMethod]
    public async Task A_publishers_own_claim_check_is_verified_before_it_is_sent()
    {
        var store = new InMemoryObjectStore();
        var envelope = await ClaimCheckTestData.StorePayloadOfTheClaimCheckSample(store);
        var builder = new ServiceBusMessageBuilder(Services.InMemory(store));

        var sent = await builder.BuildAsync(envelope, null);
        var missing = await new ServiceBusMessageBuilder(Services.InMemory()).BuildAsync(envelope, null);

        Assert.IsTrue(sent.IsValid, string.Join("; ", sent.Errors));
        Assert.IsTrue(sent.ClaimCheck);
        Assert.AreEqual("100486", sent.Message!.SessionId, "the session id comes from the stored order");
        Assert.IsTrue(JToken.DeepEquals(envelope, sent.Message.ContentData));
        Assert.AreEqual(ContractErrorCodes.ClaimCheckPayloadMissing, missing.Errors.Single().Code);
    }

    [TestMethod]
    public async Task A_reference_whose_path_no_store_can_hold_is_refused_as_missing_not_failed()
    {
        var envelope = await ClaimCheckTestData.StorePayloadOfTheClaimCheckSample(new InMemoryObjectStore());
        var path = (string)envelope["payloadReference"]!["path"]!;
        envelope["payloadReference"]!["path"] = path.Insert(path.LastIndexOf('/') + 1, new string('x', 300));

        var built = await new ServiceBusMessageBuilder(Services.InMemory()).BuildAsync(envelope, null);

        Assert.IsFalse(built.IsValid);
        var error = built.Errors.Single();
        Assert.AreEqual(("$.payloadReference.path", ContractErrorCodes.ClaimCheckPayloadMissing), (error.Path, error.Code));
        StringAssert.Contains(error.Message, "at most 240");
    }
}
