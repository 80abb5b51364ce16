using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping.Warehouse;

/// <summary>The HTTP request the warehouse subscriber sends (contract: Artifacts/OpenApi/warehouse-inventory.openapi.json).</summary>
public sealed record WarehouseRequest
{
    public bool ShouldCall { get; init; }
    /// <summary>Why nothing is called: <c>InvalidOrderEvent</c>; null when calling.</summary>
    public string? SkipReason { get; init; }
    /// <summary><c>POST</c> or <c>PUT</c>.</summary>
    public string? Method { get; init; }
    /// <summary>Path relative to the API's base URL, path segments escaped.</summary>
    public string? Path { get; init; }
    /// <summary>Value of the <c>Idempotency-Key</c> header: the same business message always yields the same key.</summary>
    public string? IdempotencyKey { get; init; }
    /// <summary>Which operation of the contract this is: <c>createReservation</c>, <c>replaceReservation</c>, <c>releaseReservation</c>.</summary>
    public string? OperationId { get; init; }
    public JObject? Body { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();
}

/// <summary>
/// Maps an order event to the warehouse inventory API: OrderCreated reserves stock (<c>POST /reservations</c>),
/// OrderUpdated replaces the reserved lines (<c>PUT /reservations/{orderId}</c>), OrderCancelled releases the
/// reservation (<c>POST /reservations/{orderId}/release</c>).
/// </summary>
public static class WarehouseRequestMapper
{
    public const string Subscriber = "warehouse-inventory";
    private const int MaxSkuLength = 64;

    public static WarehouseRequest Map(JToken? orderEvent) => Map(orderEvent, null);

    /// <param name="validated"><paramref name="orderEvent"/> as read by the validation that accepted it (a subscriber's
    /// delivery), or null to read it here.</param>
    internal static WarehouseRequest Map(JToken? orderEvent, OrderEvent? validated)
    {
        var type = validated is not null ? validated.EventType
            : orderEvent is JObject root && root["eventType"]?.Type == JTokenType.String ? (string?)root["eventType"] : null;
        var requirement = type == OrderEventTypes.Cancelled ? LineRequirement.Optional : LineRequirement.AtLeastOne;
        var read = OrderEventReader.Read(orderEvent, requirement, validated);
        var errors = new List<ContractError>(read.Errors);
        var order = read.Event;
        if (order?.Data is null || errors.Count > 0) return Failed(errors);
        var data = order.Data;

        if (SafeText.HasInvalidCharacter(data.OrderId) || data.OrderId.Length > 128)
            errors.Add(new ContractError("data.orderId", "InvalidOrderId", "The order id must be 1 to 128 printable characters."));
        if (SafeText.HasInvalidCharacter(order.MessageId) || order.MessageId.Length > 128)
            errors.Add(new ContractError("messageId", "InvalidMessageId", "The message id must be 1 to 128 printable characters."));
        if (errors.Count > 0) return Failed(errors);

        var key = IdempotencyKey(order.MessageId);
        var escapedOrderId = Uri.EscapeDataString(data.OrderId);
        switch (order.EventType)
        {
            case OrderEventTypes.Created:
            {
                var lines = Lines(data, errors);
                if (errors.Count > 0) return Failed(errors);
                return Request("POST", "/reservations", "createReservation", key, new JObject
                {
                    ["orderId"] = data.OrderId,
                    ["correlationId"] = order.CorrelationId,
                    ["lines"] = lines,
                });
            }
            case OrderEventTypes.Updated:
            {
                var lines = Lines(data, errors);
                if (errors.Count > 0) return Failed(errors);
                return Request("PUT", "/reservations/" + escapedOrderId, "replaceReservation", key, new JObject
                {
                    ["orderId"] = data.OrderId,
                    ["correlationId"] = order.CorrelationId,
                    ["lines"] = lines,
                });
            }
            case OrderEventTypes.Cancelled:
            {
                var body = new JObject { ["correlationId"] = order.CorrelationId };
                var reason = SafeText.Truncate(SafeText.StripControlCharacters(data.CancellationReason), 200);
                if (reason.Length > 0) body["reason"] = reason;
                return Request("POST", "/reservations/" + escapedOrderId + "/release", "releaseReservation", key, body);
            }
            default:
                errors.Add(new ContractError("eventType", "UnknownEventType", "The event type has no warehouse mapping."));
                return Failed(errors);
        }
    }

    /// <summary>
    /// Hex SHA-256 of <c>warehouse-inventory:{messageId}</c>: deterministic per business message (so a
    /// redelivery or resubmission sends the same key), fixed length and header-safe whatever characters the
    /// message id has, and scoped to this subscriber.
    /// </summary>
    public static string IdempotencyKey(string messageId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Subscriber + ":" + messageId), hash);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    private static JArray Lines(OrderData data, List<ContractError> errors)
    {
        var lines = new JArray();
        for (var i = 0; i < data.Lines.Count; i++)
        {
            var line = data.Lines[i];
            var sku = line.Sku.Trim();
            if (SafeText.HasInvalidCharacter(sku) || sku.Length == 0 || sku.Length > MaxSkuLength)
            {
                errors.Add(new ContractError($"data.lines[{i}].sku", "InvalidSku", $"The SKU must be 1 to {MaxSkuLength} printable characters."));
                continue;
            }
            lines.Add(new JObject { ["sku"] = sku, ["quantity"] = line.Quantity });
        }
        return lines;
    }

    private static WarehouseRequest Request(string method, string path, string operationId, string key, JObject body) =>
        new() { ShouldCall = true, Method = method, Path = path, OperationId = operationId, IdempotencyKey = key, Body = body };

    private static WarehouseRequest Failed(List<ContractError> errors) =>
        new() { ShouldCall = false, SkipReason = "InvalidOrderEvent", Errors = errors };
}
