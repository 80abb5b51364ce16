using System.Globalization;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping;

/// <summary>What the mappers need to know about the event's lines.</summary>
public enum LineRequirement
{
    /// <summary>Lines are read when present and checked, but may be absent.</summary>
    Optional,
    /// <summary>At least one line must be present.</summary>
    AtLeastOne,
}

/// <summary>The typed event (when it could be read) and every problem found on the way.</summary>
public sealed record OrderEventReadResult(OrderEvent? Event, IReadOnlyList<ContractError> Errors)
{
    public bool IsUsable => Event is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the <see cref="OrderEvent"/> model out of the raw JSON a workflow passes, checking defensively the
/// fields the mappers depend on. The contract validator is the full check; this reader only makes sure a
/// mapper never throws and names the exact field when the input is not what it needs. It builds the typed
/// model directly from the tokens (no reflection-based deserialization) because it is on every run's hot path.
/// Why not <see cref="OrderEventValidator"/> plus <see cref="OrderEventJson.ToTyped"/>: the mappers are deliberately
/// more lenient (an SMS needs no lines or customer id; a mapper has no use for <c>source</c> or unknown-property
/// checks) and their error codes and relative paths (<c>data.lines[0].quantity</c>, <c>MissingField</c>) are part
/// of their published results. What both share is below: <see cref="ContractError"/>, <see cref="JsonPaths"/>,
/// <see cref="JsonValues.Describe"/> and <see cref="OrderEventJson.ReadInstant"/>.
/// </summary>
public static class OrderEventReader
{
    private const string DataPath = "data";
    private const string LinesPath = "data.lines";
    private const string CustomerPath = "data.customer";

    /// <param name="validated">The same event as <see cref="OrderEventValidator"/> read it while accepting it
    /// (<see cref="OrderEventValidation.Event"/>), or null. A valid event meets every requirement of this reader (its
    /// lines included: the contract asks for at least one), so that reading is the result, without a second walk.</param>
    internal static OrderEventReadResult Read(JToken? orderEvent, LineRequirement lines, OrderEvent? validated) =>
        validated is not null && (lines == LineRequirement.Optional || validated.Data is { Lines.Count: > 0 })
            ? new OrderEventReadResult(validated, Array.Empty<ContractError>())
            : Read(orderEvent, lines);

    public static OrderEventReadResult Read(JToken? orderEvent, LineRequirement lines)
    {
        var errors = new List<ContractError>();
        if (orderEvent is not JObject root)
        {
            errors.Add(new ContractError("", "NotAnObject", $"The order event must be a JSON object, but was {JsonValues.Describe(orderEvent)}."));
            return new OrderEventReadResult(null, errors);
        }

        var eventType = RequiredString(root, JsonPaths.Relative, "eventType", errors);
        if (eventType is not null && !OrderEventTypes.All.Contains(eventType))
        {
            errors.Add(new ContractError("eventType", "UnknownEventType",
                $"The event type '{SafeText.Truncate(SafeText.StripControlCharacters(eventType), 64)}' is not one of {string.Join(", ", OrderEventTypes.All)}."));
        }
        var messageId = RequiredString(root, JsonPaths.Relative, "messageId", errors);
        var correlationId = OptionalString(root, JsonPaths.Relative, "correlationId", errors);
        var occurredUtc = ReadTimestamp(root, errors);

        OrderData? data = null;
        var dataToken = root["data"];
        if (dataToken is null || dataToken.Type == JTokenType.Null)
        {
            if (root["payloadReference"] is JObject)
            {
                errors.Add(new ContractError("data", "ClaimCheckNotResolved",
                    "The event travels as a claim check (payloadReference); read it with ReadOrderMessage before mapping."));
            }
            else
            {
                errors.Add(new ContractError("data", "MissingField", "The event has no 'data' object."));
            }
        }
        else if (dataToken is not JObject dataObject)
        {
            errors.Add(new ContractError("data", "WrongType", $"'data' must be an object, but was {JsonValues.Describe(dataToken)}."));
        }
        else
        {
            data = ReadData(dataObject, lines, errors);
        }

        var typed = new OrderEvent
        {
            SchemaVersion = root["schemaVersion"]?.Type == JTokenType.String ? (string)root["schemaVersion"]! : "",
            MessageId = messageId ?? "",
            CorrelationId = correlationId ?? "",
            EventType = eventType ?? "",
            Source = root["source"]?.Type == JTokenType.String ? (string)root["source"]! : "",
            OccurredUtc = occurredUtc ?? default,
            Data = data,
        };
        return new OrderEventReadResult(typed, errors);
    }

    private static OrderData ReadData(JObject data, LineRequirement requirement, List<ContractError> errors)
    {
        var orderId = RequiredString(data, DataPath, "orderId", errors) ?? "";
        var customerId = OptionalString(data, DataPath, "customerId", errors) ?? "";
        var accountId = OptionalString(data, DataPath, "accountId", errors) ?? "";
        var currency = OptionalString(data, DataPath, "currency", errors) ?? "";
        var cancellationReason = OptionalString(data, DataPath, "cancellationReason", errors);
        var amount = OptionalNumber(data, DataPath, "amount", errors) ?? 0m;

        var lines = new List<OrderLine>();
        var linesToken = data["lines"];
        if (linesToken is null || linesToken.Type == JTokenType.Null)
        {
            if (requirement == LineRequirement.AtLeastOne)
                errors.Add(new ContractError("data.lines", "MissingField", "The order has no 'lines'."));
        }
        else if (linesToken is not JArray array)
        {
            errors.Add(new ContractError("data.lines", "WrongType", $"'data.lines' must be an array, but was {JsonValues.Describe(linesToken)}."));
        }
        else
        {
            if (array.Count == 0 && requirement == LineRequirement.AtLeastOne)
                errors.Add(new ContractError("data.lines", "NoLines", "The order has no lines."));
            for (var i = 0; i < array.Count; i++)
            {
                var path = JsonPaths.Index(LinesPath, i);
                if (array[i] is not JObject line)
                {
                    errors.Add(new ContractError(path, "WrongType", $"A line must be an object, but was {JsonValues.Describe(array[i])}."));
                    continue;
                }
                var sku = RequiredString(line, path, "sku", errors) ?? "";
                var quantity = OptionalNumber(line, path, "quantity", errors);
                if (quantity is null && line["quantity"] is null)
                    errors.Add(new ContractError(JsonPaths.Property(path, "quantity"), "MissingField", "The line has no 'quantity'."));
                else if (quantity is <= 0)
                    errors.Add(new ContractError(JsonPaths.Property(path, "quantity"), "NonPositiveQuantity", $"The quantity must be greater than zero, but was {quantity.Value.ToString(CultureInfo.InvariantCulture)}."));
                var unitPrice = OptionalNumber(line, path, "unitPrice", errors) ?? 0m;
                lines.Add(new OrderLine { Sku = sku, Quantity = quantity ?? 0m, UnitPrice = unitPrice });
            }
        }

        Customer? customer = null;
        var customerToken = data["customer"];
        if (customerToken is JObject customerObject)
        {
            var smsOptIn = customerObject["smsOptIn"];
            bool optIn = false;
            if (smsOptIn is not null && smsOptIn.Type != JTokenType.Null)
            {
                if (smsOptIn.Type == JTokenType.Boolean) optIn = (bool)smsOptIn;
                else errors.Add(new ContractError("data.customer.smsOptIn", "WrongType", $"'smsOptIn' must be a boolean, but was {JsonValues.Describe(smsOptIn)}."));
            }
            customer = new Customer
            {
                Name = OptionalString(customerObject, CustomerPath, "name", errors) ?? "",
                Phone = OptionalString(customerObject, CustomerPath, "phone", errors),
                SmsOptIn = optIn,
            };
        }
        else if (customerToken is not null && customerToken.Type != JTokenType.Null)
        {
            errors.Add(new ContractError("data.customer", "WrongType", $"'data.customer' must be an object, but was {JsonValues.Describe(customerToken)}."));
        }

        return new OrderData
        {
            OrderId = orderId,
            CustomerId = customerId,
            AccountId = accountId,
            Amount = amount,
            Currency = currency,
            Lines = lines,
            Customer = customer,
            CancellationReason = cancellationReason,
        };
    }

    private static DateTimeOffset? ReadTimestamp(JObject root, List<ContractError> errors)
    {
        var token = root["occurredUtc"];
        if (token is null || token.Type == JTokenType.Null)
        {
            errors.Add(new ContractError("occurredUtc", "MissingField", "The event has no 'occurredUtc'."));
            return null;
        }
        var instant = OrderEventJson.ReadInstant(token);
        if (instant is null) errors.Add(new ContractError("occurredUtc", "InvalidTimestamp", "'occurredUtc' must be an ISO 8601 date-time."));
        return instant;
    }

    // Paths are built only for an error: these run for every field of every mapped event.
    private static string? RequiredString(JObject owner, string ownerPath, string name, List<ContractError> errors)
    {
        var token = owner[name];
        if (token is { Type: JTokenType.String } && ((string)token!).Trim().Length > 0) return (string)token!;
        var path = JsonPaths.Property(ownerPath, name);
        if (token is null || token.Type == JTokenType.Null)
            errors.Add(new ContractError(path, "MissingField", $"'{path}' is required."));
        else if (token.Type != JTokenType.String)
            errors.Add(new ContractError(path, "WrongType", $"'{path}' must be a string, but was {JsonValues.Describe(token)}."));
        else
            errors.Add(new ContractError(path, "EmptyField", $"'{path}' must not be empty."));
        return null;
    }

    private static string? OptionalString(JObject owner, string ownerPath, string name, List<ContractError> errors)
    {
        var token = owner[name];
        if (token is null || token.Type == JTokenType.Null) return null;
        if (token.Type == JTokenType.String) return (string)token!;
        var path = JsonPaths.Property(ownerPath, name);
        errors.Add(new ContractError(path, "WrongType", $"'{path}' must be a string, but was {JsonValues.Describe(token)}."));
        return null;
    }

    /// <summary>A JSON number as the mappers read it, or null when it is too large for a decimal.</summary>
    internal static decimal? ToDecimal(JValue number)
    {
        // The two shapes a parsed number has (a decimal when read as such, a long for a whole number) without the
        // generic conversion, which boxes and asks Convert for every line's quantity and price.
        if (number.Value is decimal exact) return exact;
        if (number.Value is long whole) return whole;
        try
        {
            return number.Value<decimal>();
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static decimal? OptionalNumber(JObject owner, string ownerPath, string name, List<ContractError> errors)
    {
        var token = owner[name];
        if (token is null || token.Type == JTokenType.Null) return null;
        if (token.Type is JTokenType.Integer or JTokenType.Float)
        {
            if (ToDecimal((JValue)token) is { } number) return number;
            var tooLarge = JsonPaths.Property(ownerPath, name);
            errors.Add(new ContractError(tooLarge, "NumberOutOfRange", $"'{tooLarge}' is too large."));
            return null;
        }
        var path = JsonPaths.Property(ownerPath, name);
        errors.Add(new ContractError(path, "WrongType", $"'{path}' must be a number, but was {JsonValues.Describe(token)}."));
        return null;
    }
}
