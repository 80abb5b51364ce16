using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Azurite;

namespace OrderEvents.CustomCode.Tests.Mapping;

/// <summary>Contract-shaped order events for the mapping specifications; each test changes what it is about.</summary>
internal static class OrderEventSamples
{
    public static JObject Event(string eventType = "OrderCreated") => new()
    {
        ["schemaVersion"] = "1.0",
        ["messageId"] = $"order-100482-{eventType.ToLowerInvariant()}-v1",
        ["correlationId"] = "corr-7f3a",
        ["eventType"] = eventType,
        ["source"] = "dataverse",
        ["occurredUtc"] = "2024-05-01T09:30:00Z",
        ["data"] = new JObject
        {
            ["orderId"] = "SO-100482",
            ["customerId"] = "100234",
            ["accountId"] = "ACC-1",
            ["amount"] = 149.9m,
            ["currency"] = "EUR",
            ["lines"] = new JArray
            {
                new JObject { ["sku"] = "MAT-001", ["quantity"] = 2, ["unitPrice"] = 49.95m },
                new JObject { ["sku"] = "MAT-002", ["quantity"] = 1.5m, ["unitPrice"] = 33.333m },
            },
            ["customer"] = new JObject
            {
                ["name"] = "Anna Schmidt",
                ["phone"] = "+4915112345678",
                ["smsOptIn"] = true,
                ["email"] = "anna.schmidt@example.com",
            },
            ["shipTo"] = new JObject { ["name"] = "Anna Schmidt", ["street"] = "Hauptstr. 5", ["city"] = "Berlin", ["postalCode"] = "10115", ["country"] = "DE" },
        },
    };

    public static JObject With(this JObject orderEvent, string path, JToken? value)
    {
        var copy = (JObject)orderEvent.DeepClone();
        var parts = path.Split('.');
        JToken owner = copy;
        foreach (var part in parts[..^1]) owner = owner[part]!;
        if (value is null) ((JObject)owner).Remove(parts[^1]);
        else owner[parts[^1]] = value;
        return copy;
    }

    public static OrderEventFunctions Functions(InMemoryObjectStore? store = null, TimeProvider? clock = null) =>
        new(new CustomCodeServices(store ?? new InMemoryObjectStore(), clock ?? new ManualClock(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero)), new CustomCodeOptions()));
}
