using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Messaging;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Messaging;

internal static class ClaimCheckTestData
{
    /// <summary>An order far above the 192 KB threshold: many lines with long (valid) descriptions.</summary>
    public static JObject LargeOrder(int lines = 1000)
    {
        var orderEvent = Samples.ValidEvent();
        orderEvent["messageId"] = "order-200001-created-v1";
        orderEvent["data"]!["orderId"] = "200001";
        orderEvent["data"]!["lines"] = new JArray(Enumerable.Range(0, lines).Select(i => new JObject
        {
            ["sku"] = $"MAT-{i:D5}",
            ["quantity"] = 1,
            ["unitPrice"] = 1.5m,
            ["description"] = $"Line {i}: " + new string('é', 180),
        }));
        return orderEvent;
    }

    /// <summary>Makes the store hold what the claim-check sample points to: the sample's envelope with a data
    /// block, and the sample's reference rewritten to the real size and hash of those bytes.</summary>
    public static async Task<JObject> StorePayloadOfTheClaimCheckSample(InMemoryObjectStore store)
    {
        var envelope = Samples.ValidEvent("OrderCreated.claim-check");
        var full = (JObject)envelope.DeepClone();
        full.Remove("payloadReference");
        full["data"] = Samples.ValidEvent()["data"]!.DeepClone();
        full["data"]!["orderId"] = "100486";
        var bytes = OrderEventJson.ToUtf8(full);
        var path = (string)envelope["payloadReference"]!["path"]!;
        await store.TryCreateAsync("orders-lake", path, bytes, "application/json");
        envelope["payloadReference"]!["sizeBytes"] = bytes.Length;
        envelope["payloadReference"]!["sha256"] = ClaimChecks.Sha256Hex(bytes);
        return envelope;
    }
}
