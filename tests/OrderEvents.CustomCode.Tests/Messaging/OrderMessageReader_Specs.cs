using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Messaging;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Messaging;

/// <summary>The three contentData shapes of the built-in trigger (Azure/logicapps issues #817, #536), claim checks, and garbage.</summary>
[TestClass]
public sealed class OrderMessageReader_Specs
{
    private static Task<ReadOrderMessageResult> Read(JToken? contentData, string? contentType = null, InMemoryObjectStore? store = null) =>
        new OrderMessageReader(Services.InMemory(store)).ReadAsync(contentData, contentType);

    private static string Text(JObject orderEvent) => orderEvent.ToString(Formatting.None);

    private static void AssertReadsTheStandardOrder(ReadOrderMessageResult result)
    {
        Assert.IsTrue(result.IsValid, string.Join("; ", result.Errors));
        Assert.AreEqual("order-100482-created-v1", result.MessageId);
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", result.CorrelationId);
        Assert.AreEqual("OrderCreated", result.EventType);
        Assert.AreEqual("100482", result.OrderId);
        Assert.AreEqual("1.0", result.SchemaVersion);
        Assert.IsFalse(result.ClaimCheck);
        Assert.IsTrue(JToken.DeepEquals(Samples.ValidEvent(), result.OrderEvent));
        Assert.AreEqual(49.99m, result.Event!.Data!.Lines[0].UnitPrice);
        Assert.AreEqual(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero), result.Event.OccurredUtc);
    }

    [TestMethod]
    public async Task A_json_object_is_read_as_is() =>
        AssertReadsTheStandardOrder(await Read(Samples.ValidEvent(), "application/json"));

    [TestMethod]
    public async Task A_string_of_json_text_is_parsed() =>
        AssertReadsTheStandardOrder(await Read(new JValue(Text(Samples.ValidEvent()))));

    [TestMethod]
    public async Task A_content_type_envelope_with_base64_is_decoded()
    {
        var envelope = new JObject
        {
            ["$content-type"] = "application/json; charset=utf-8",
            ["$content"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(Samples.ValidEvent()))),
        };

        AssertReadsTheStandardOrder(await Read(envelope, "application/json; charset=utf-8"));
    }

    [TestMethod]
    public async Task A_plain_base64_string_as_the_managed_connector_delivers_it_is_decoded() =>
        AssertReadsTheStandardOrder(await Read(new JValue(Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(Samples.ValidEvent()))))));

    [TestMethod]
    public async Task Unicode_text_survives_every_shape()
    {
        var unicode = Samples.ValidEvent("OrderCreated.unicode-names");
        var bytes = Encoding.UTF8.GetBytes("\uFEFF" + Text(unicode));
        foreach (var contentData in new JToken[]
        {
            unicode,
            new JValue(Text(unicode)),
            new JObject { ["$content-type"] = "application/json", ["$content"] = Convert.ToBase64String(bytes) },
        })
        {
            var result = await Read(contentData);
            Assert.IsTrue(result.IsValid, string.Join("; ", result.Errors));
            Assert.AreEqual("Zoë Ōtsuka-Müller 👩‍🍳", result.Event!.Data!.Customer!.Name);
            Assert.AreEqual("東京", result.Event.Data.ShipTo!.City);
        }
    }

    [TestMethod]
    public async Task Garbage_gets_a_specific_error_and_never_an_exception()
    {
        var cases = new (JToken? ContentData, string? ContentType, string Path, string Code)[]
        {
            (null, null, "contentData", ContractErrorCodes.ContentMissing),
            (JValue.CreateNull(), null, "contentData", ContractErrorCodes.ContentMissing),
            (new JValue(""), null, "contentData", ContractErrorCodes.ContentMissing),
            (new JValue("{\"schemaVersion\": \"1.0\", "), null, "contentData", ContractErrorCodes.ContentNotJson),
            (new JValue("{} trailing"), null, "contentData", ContractErrorCodes.ContentNotJson),
            (new JValue("{\"a\":1,\"a\":2}"), null, "contentData", ContractErrorCodes.ContentNotJson),
            (new JValue(new string('[', 100) + new string(']', 100)), null, "contentData", ContractErrorCodes.ContentNotJson),
            (new JValue("hello, world"), null, "contentData", ContractErrorCodes.ContentNotJson),
            (new JValue(Convert.ToBase64String(new byte[] { 0xC3, 0x28, 0xA0, 0xA1 })), null, "contentData", ContractErrorCodes.ContentNotUtf8),
            (new JValue(Convert.ToBase64String(Encoding.UTF8.GetBytes("not json"))), null, "contentData", ContractErrorCodes.ContentNotJson),
            (new JObject { ["$content-type"] = "application/json", ["$content"] = "%%% not base64 %%%" }, null, "contentData['$content']", ContractErrorCodes.ContentNotBase64),
            (new JObject { ["$content-type"] = "application/json", ["$content"] = 42 }, null, "contentData['$content']", ContractErrorCodes.ContentNotBase64),
            (new JObject { ["$content-type"] = "application/xml", ["$content"] = "PGEvPg==" }, null, "contentData['$content-type']", ContractErrorCodes.UnsupportedContentType),
            (Samples.ValidEvent(), "text/plain", "contentType", ContractErrorCodes.UnsupportedContentType),
            (new JArray(Samples.ValidEvent()), null, "$", ContractErrorCodes.WrongType),
            (new JValue(12), null, "$", ContractErrorCodes.WrongType),
            (new JValue(true), null, "$", ContractErrorCodes.WrongType),
        };
        foreach (var (contentData, contentType, path, code) in cases)
        {
            var result = await Read(contentData, contentType);
            Assert.IsFalse(result.IsValid, $"{contentData}");
            Assert.IsNull(result.OrderEvent);
            Assert.AreEqual((path, code), (result.Errors.Single().Path, result.Errors.Single().Code), $"{contentData?.ToString(Formatting.None)}");
        }
    }

    [TestMethod]
    public async Task Dates_and_decimals_in_json_text_are_kept_exactly()
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["data"]!["amount"] = 0.1m + 0.2m;

        var result = await Read(new JValue(Text(orderEvent)));

        Assert.AreEqual(JTokenType.String, result.OrderEvent!["occurredUtc"]!.Type, "the timestamp stays text");
        Assert.AreEqual(0.3m, result.Event!.Data!.Amount);
    }

    [TestMethod]
    public async Task An_invalid_event_inside_a_valid_shape_reports_the_contract_errors()
    {
        foreach (var sample in Samples.Invalid.Where(s => s.Json is JObject))
        {
            var result = await Read(new JValue(Text((JObject)sample.Json!)));
            CollectionAssert.AreEquivalent(sample.ExpectedErrors.Select(e => $"{e.Path} {e.Code}").ToArray(),
                result.Errors.Select(e => $"{e.Path} {e.Code}").ToArray(), sample.Name);
        }
    }

    [TestMethod]
    public async Task A_claim_check_is_resolved_from_the_lake()
    {
        var store = new InMemoryObjectStore();
        var envelope = await ClaimCheckTestData.StorePayloadOfTheClaimCheckSample(store);

        var result = await Read(envelope, store: store);

        Assert.IsTrue(result.IsValid, string.Join("; ", result.Errors));
        Assert.IsTrue(result.ClaimCheck);
        Assert.AreEqual("100486", result.OrderId);
        Assert.IsNotNull(result.OrderEvent!["data"]);
        Assert.IsNull(result.OrderEvent["payloadReference"]);
    }

    [TestMethod]
    public async Task A_missing_or_tampered_claim_check_payload_gets_a_specific_error()
    {
        var path = (string)Samples.ValidEvent("OrderCreated.claim-check")["payloadReference"]!["path"]!;
        async Task<(string Path, string Code)> ReadWith(Func<JObject, InMemoryObjectStore, Task> tamper)
        {
            var store = new InMemoryObjectStore();
            var envelope = await ClaimCheckTestData.StorePayloadOfTheClaimCheckSample(store);
            await tamper(envelope, store);
            var result = await Read(envelope, store: store);
            Assert.IsFalse(result.IsValid);
            Assert.IsTrue(result.ClaimCheck);
            return (result.Errors[0].Path, result.Errors[0].Code);
        }
        async Task Replace(InMemoryObjectStore store, Func<string, string> change)
        {
            var stored = (await store.ReadAsync("orders-lake", path))!;
            var text = Encoding.UTF8.GetString(stored.Content.Span);
            await store.TryReplaceAsync("orders-lake", path, Encoding.UTF8.GetBytes(change(text)), "application/json", stored.ETag);
        }

        Assert.AreEqual(("$.payloadReference.path", ContractErrorCodes.ClaimCheckPayloadMissing),
            await ReadWith(async (_, store) => await store.TryDeleteAsync("orders-lake", path, (await store.ReadAsync("orders-lake", path))!.ETag)));
        Assert.AreEqual(("$.payloadReference.sizeBytes", ContractErrorCodes.ClaimCheckSizeMismatch),
            await ReadWith((_, store) => Replace(store, t => t.Replace("\"amount\":149.97", "\"amount\":1149.97"))));
        Assert.AreEqual(("$.payloadReference.sha256", ContractErrorCodes.ClaimCheckHashMismatch),
            await ReadWith((_, store) => Replace(store, t => t.Replace("\"amount\":149.97", "\"amount\":949.97"))));
        Assert.AreEqual(("$.payloadReference.container", ContractErrorCodes.ClaimCheckContainerNotAllowed),
            await ReadWith((envelope, _) => { envelope["payloadReference"]!["container"] = "idempotency"; return Task.CompletedTask; }));
    }

    [TestMethod]
    public async Task A_stored_payload_of_another_event_or_breaking_the_contract_is_refused()
    {
        async Task<IReadOnlyList<ContractError>> ReadStored(JObject storedEvent)
        {
            var store = new InMemoryObjectStore();
            var bytes = OrderEventJson.ToUtf8(storedEvent);
            var envelope = Samples.ValidEvent("OrderCreated.claim-check");
            await store.TryCreateAsync("orders-lake", (string)envelope["payloadReference"]!["path"]!, bytes, "application/json");
            envelope["payloadReference"]!["sizeBytes"] = bytes.Length;
            envelope["payloadReference"]!["sha256"] = ClaimChecks.Sha256Hex(bytes);
            return (await Read(envelope, store: store)).Errors;
        }
        var otherEvent = Samples.ValidEvent();
        var broken = Samples.ValidEvent();
        broken["messageId"] = "order-100486-created-v1";
        broken["data"]!["lines"]![0]!["quantity"] = 0;

        Assert.AreEqual(ContractErrorCodes.ClaimCheckMismatch, (await ReadStored(otherEvent)).Single().Code);
        var errors = await ReadStored(broken);
        Assert.AreEqual(ContractErrorCodes.ClaimCheckPayloadInvalid, errors[0].Code);
        Assert.AreEqual(("$.data.lines[0].quantity", ContractErrorCodes.NotPositive), (errors[1].Path, errors[1].Code));
    }
}
