using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Contracts;

/// <summary>
/// The typed view of a contract-valid order event (Artifacts/Schemas). Only build it from JSON that the
/// <c>OrderEventValidator</c> accepted: the validator, not this type, is where bad input is reported.
/// </summary>
public sealed record OrderEvent
{
    [JsonProperty("schemaVersion")] public string SchemaVersion { get; init; } = "";
    /// <summary>Stable id of the business operation (e.g. <c>order-100482-created-v1</c>): drives duplicate detection and idempotency.</summary>
    [JsonProperty("messageId")] public string MessageId { get; init; } = "";
    [JsonProperty("correlationId")] public string CorrelationId { get; init; } = "";
    [JsonProperty("eventType")] public string EventType { get; init; } = "";
    [JsonProperty("source")] public string Source { get; init; } = "";
    [JsonProperty("occurredUtc")] public DateTimeOffset OccurredUtc { get; init; }
    /// <summary>The order; null when the event travels as a claim check (<see cref="PayloadReference"/>).</summary>
    [JsonProperty("data")] public OrderData? Data { get; init; }
    [JsonProperty("payloadReference")] public PayloadReference? PayloadReference { get; init; }

    public int SchemaMajorVersion => int.TryParse(SchemaVersion.Split('.')[0], out var major) ? major : 0;
}

public sealed record OrderData
{
    [JsonProperty("orderId")] public string OrderId { get; init; } = "";
    [JsonProperty("customerId")] public string CustomerId { get; init; } = "";
    [JsonProperty("accountId")] public string AccountId { get; init; } = "";
    [JsonProperty("amount")] public decimal Amount { get; init; }
    [JsonProperty("currency")] public string Currency { get; init; } = "";
    [JsonProperty("lines")] public IReadOnlyList<OrderLine> Lines { get; init; } = Array.Empty<OrderLine>();
    [JsonProperty("customer")] public Customer? Customer { get; init; }
    [JsonProperty("shipTo")] public ShipTo? ShipTo { get; init; }
    /// <summary>Reason given on OrderCancelled (optional).</summary>
    [JsonProperty("cancellationReason")] public string? CancellationReason { get; init; }
}

public sealed record OrderLine
{
    [JsonProperty("sku")] public string Sku { get; init; } = "";
    [JsonProperty("quantity")] public decimal Quantity { get; init; }
    [JsonProperty("unitPrice")] public decimal UnitPrice { get; init; }
    [JsonProperty("description")] public string? Description { get; init; }
}

public sealed record Customer
{
    [JsonProperty("name")] public string Name { get; init; } = "";
    /// <summary>E.164 (e.g. +4915112345678); optional.</summary>
    [JsonProperty("phone")] public string? Phone { get; init; }
    [JsonProperty("smsOptIn")] public bool SmsOptIn { get; init; }
    [JsonProperty("email")] public string? Email { get; init; }
}

public sealed record ShipTo
{
    [JsonProperty("name")] public string? Name { get; init; }
    [JsonProperty("street")] public string? Street { get; init; }
    [JsonProperty("city")] public string? City { get; init; }
    [JsonProperty("postalCode")] public string? PostalCode { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    [JsonProperty("country")] public string? Country { get; init; }
    [JsonProperty("region")] public string? Region { get; init; }
}

/// <summary>Claim check: where the full event was stored because it was too large for the broker.</summary>
public sealed record PayloadReference
{
    /// <summary>Path of the stored event inside the lake container.</summary>
    [JsonProperty("path")] public string Path { get; init; } = "";
    [JsonProperty("container")] public string? Container { get; init; }
    [JsonProperty("sizeBytes")] public long SizeBytes { get; init; }
    [JsonProperty("sha256")] public string? Sha256 { get; init; }
}

public static class OrderEventTypes
{
    public const string Created = "OrderCreated";
    public const string Updated = "OrderUpdated";
    public const string Cancelled = "OrderCancelled";
    public static readonly IReadOnlyList<string> All = new[] { Created, Updated, Cancelled };
}
