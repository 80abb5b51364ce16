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
public sealed record OrderEventReadResult(OrderEvent? Event, IReadOnlyList<MappingError> Errors)
{
    public bool IsUsable => Event is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the <see cref="OrderEvent"/> model out of the raw JSON a workflow passes, checking defensively the
/// fields the mappers depend on. The contract validator is the full check; this reader only makes sure a
/// mapper never throws and names the exact field when the input is not what it needs. It builds the typed
/// model directly from the tokens (no reflection-based deserialization) because it is on every run's hot path.
/// </summary>
public static class OrderEventReader
{
    public static OrderEventReadResult Read(JToken? orderEvent, LineRequirement lines)
    {
        var errors = new List<MappingError>();
        if (orderEvent is not JObject root)
        {
            errors.Add(new MappingError("", "NotAnObject", $"The order event must be a JSON object, but was {Describe(orderEvent)}."));
            return new OrderEventReadResult(null, errors);
        }

        var eventType = RequiredString(root, "eventType", "eventType", errors);
        if (eventType is not null && !OrderEventTypes.All.Contains(eventType))
        {
            errors.Add(new MappingError("eventType", "UnknownEventType",
                $"The event type '{SafeText.Truncate(SafeText.StripControlCharacters(eventType), 64)}' is not one of {string.Join(", ", OrderEventTypes.All)}."));
        }
        var messageId = RequiredString(root, "messageId", "messageId", errors);
        var correlationId = OptionalString(root, "correlationId", "correlationId", errors);
        var occurredUtc = ReadTimestamp(root, errors);

        OrderData? data = null;
        var dataToken = root["data"];
        if (dataToken is null || dataToken.Type == JTokenType.Null)
        {
            if (root["payloadReference"] is JObject)
            {
                errors.Add(new MappingError("data", "ClaimCheckNotResolved",
                    "The event travels as a claim check (payloadReference); read it with ReadOrderMessage before mapping."));
            }
            else
            {
                errors.Add(new MappingError("data", "MissingField", "The event has no 'data' object."));
            }
        }
        else if (dataToken is not JObject dataObject)
        {
            errors.Add(new MappingError("data", "WrongType", $"'data' must be an object, but was {Describe(dataToken)}."));
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

    private static OrderData ReadData(JObject data, LineRequirement requirement, List<MappingError> errors)
    {
        var orderId = RequiredString(data, "orderId", "data.orderId", errors) ?? "";
        var customerId = OptionalString(data, "customerId", "data.customerId", errors) ?? "";
        var accountId = OptionalString(data, "accountId", "data.accountId", errors) ?? "";
        var currency = OptionalString(data, "currency", "data.currency", errors) ?? "";
        var cancellationReason = OptionalString(data, "cancellationReason", "data.cancellationReason", errors);
        var amount = OptionalNumber(data, "amount", "data.amount", errors) ?? 0m;

        var lines = new List<OrderLine>();
        var linesToken = data["lines"];
        if (linesToken is null || linesToken.Type == JTokenType.Null)
        {
            if (requirement == LineRequirement.AtLeastOne)
                errors.Add(new MappingError("data.lines", "MissingField", "The order has no 'lines'."));
        }
        else if (linesToken is not JArray array)
        {
            errors.Add(new MappingError("data.lines", "WrongType", $"'data.lines' must be an array, but was {Describe(linesToken)}."));
        }
        else
        {
            if (array.Count == 0 && requirement == LineRequirement.AtLeastOne)
                errors.Add(new MappingError("data.lines", "NoLines", "The order has no lines."));
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"data.lines[{i}]";
                if (array[i] is not JObject line)
                {
                    errors.Add(new MappingError(path, "WrongType", $"A line must be an object, but was {Describe(array[i])}."));
                    continue;
                }
                var sku = RequiredString(line, "sku", path + ".sku", errors) ?? "";
                var quantity = OptionalNumber(line, "quantity", path + ".quantity", errors);
                if (quantity is null && line["quantity"] is null)
                    errors.Add(new MappingError(path + ".quantity", "MissingField", "The line has no 'quantity'."));
                else if (quantity is <= 0)
                    errors.Add(new MappingError(path + ".quantity", "NonPositiveQuantity", $"The quantity must be greater than zero, but was {quantity.Value.ToString(CultureInfo.InvariantCulture)}."));
                var unitPrice = OptionalNumber(line, "unitPrice", path + ".unitPrice", errors) ?? 0m;
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
                else errors.Add(new MappingError("data.customer.smsOptIn", "WrongType", $"'smsOptIn' must be a boolean, but was {Describe(smsOptIn)}."));
            }
            customer = new Customer
            {
                Name = OptionalString(customerObject, "name", "data.customer.name", errors) ?? "",
                Phone = OptionalString(customerObject, "phone", "data.customer.phone", errors),
                SmsOptIn = optIn,
            };
        }
        else if (customerToken is not null && customerToken.Type != JTokenType.Null)
        {
            errors.Add(new MappingError("data.customer", "WrongType", $"'data.customer' must be an object, but was {Describe(customerToken)}."));
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

    private static DateTimeOffset? ReadTimestamp(JObject root, List<MappingError> errors)
    {
        var token = root["occurredUtc"];
        if (token is null || token.Type == JTokenType.Null)
        {
            errors.Add(new MappingError("occurredUtc", "MissingField", "The event has no 'occurredUtc'."));
            return null;
        }
        if (token.Type == JTokenType.Date)
        {
            var date = token.Value<DateTime>();
            return new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date.ToUniversalTime());
        }
        if (token.Type == JTokenType.String
            && DateTimeOffset.TryParse((string)token!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }
        errors.Add(new MappingError("occurredUtc", "InvalidTimestamp", "'occurredUtc' must be an ISO 8601 date-time."));
        return null;
    }

    private static string? RequiredString(JObject owner, string name, string path, List<MappingError> errors)
    {
        var token = owner[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            errors.Add(new MappingError(path, "MissingField", $"'{path}' is required."));
            return null;
        }
        if (token.Type != JTokenType.String)
        {
            errors.Add(new MappingError(path, "WrongType", $"'{path}' must be a string, but was {Describe(token)}."));
            return null;
        }
        var text = (string)token!;
        if (text.Trim().Length == 0)
        {
            errors.Add(new MappingError(path, "EmptyField", $"'{path}' must not be empty."));
            return null;
        }
        return text;
    }

    private static string? OptionalString(JObject owner, string name, string path, List<MappingError> errors)
    {
        var token = owner[name];
        if (token is null || token.Type == JTokenType.Null) return null;
        if (token.Type != JTokenType.String)
        {
            errors.Add(new MappingError(path, "WrongType", $"'{path}' must be a string, but was {Describe(token)}."));
            return null;
        }
        return (string)token!;
    }

    private static decimal? OptionalNumber(JObject owner, string name, string path, List<MappingError> errors)
    {
        var token = owner[name];
        if (token is null || token.Type == JTokenType.Null) return null;
        if (token.Type is JTokenType.Integer or JTokenType.Float)
        {
            try
            {
                return token.Value<decimal>();
            }
            catch (OverflowException)
            {
                errors.Add(new MappingError(path, "NumberOutOfRange", $"'{path}' is too large."));
                return null;
            }
        }
        errors.Add(new MappingError(path, "WrongType", $"'{path}' must be a number, but was {Describe(token)}."));
        return null;
    }

    public static string Describe(JToken? token) => token is null ? "missing" : token.Type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => "a string",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.Boolean => "a boolean",
        JTokenType.Null => "null",
        _ => token.Type.ToString().ToLowerInvariant(),
    };
}
