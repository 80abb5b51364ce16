using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Mapping.Sap;

/// <summary>Result of recording the SAP document number of an order.</summary>
public sealed record SapSalesOrderRecordResult
{
    public string OrderId { get; init; } = "";
    public string? SalesDocument { get; init; }
    /// <summary>True when this call stored the number; false when it was already stored (or on errors).</summary>
    public bool Created { get; init; }
    /// <summary>True when a different document number is already stored for the order (nothing changed).</summary>
    public bool Conflict { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();
}

/// <summary>Result of looking up the SAP document number of an order.</summary>
public sealed record SapSalesOrderLookupResult
{
    public bool Found { get; init; }
    public string OrderId { get; init; } = "";
    public string? SalesDocument { get; init; }
    public string? RecordedUtc { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();
}

/// <summary>
/// Remembers which SAP sales document was created for which order, so the change and cancel paths can find it.
/// One object per order (<c>sap-orders/{orderId}.json</c> in the idempotency container), written create-if-absent:
/// the first number wins and a different one is reported as a conflict instead of overwriting it.
/// </summary>
public sealed class SapSalesOrderRegistry(IObjectStore store, TimeProvider clock, string container)
{
    public const string Prefix = "sap-orders/";
    private const int MaxOrderIdLength = 128;

    public async Task<SapSalesOrderRecordResult> RecordAsync(string? orderId, string? salesDocument, CancellationToken cancellationToken)
    {
        var errors = new List<ContractError>();
        var name = ObjectName(orderId, errors);
        var document = string.IsNullOrWhiteSpace(salesDocument) || !SapNumbers.IsDigits(salesDocument.Trim())
            ? null : SapNumbers.AlphaInput(salesDocument, SapNumbers.DocumentNumberLength);
        if (document is null)
            errors.Add(new ContractError("salesDocument", "InvalidSapSalesOrderNumber", "The SAP sales document number must be 1 to 10 digits."));
        if (errors.Count > 0) return new SapSalesOrderRecordResult { OrderId = orderId ?? "", Errors = errors };

        var record = new JObject
        {
            ["orderId"] = orderId,
            ["salesDocument"] = document,
            ["recordedUtc"] = clock.GetUtcNow().UtcDateTime.ToString("O"),
        };
        var content = Encoding.UTF8.GetBytes(record.ToString(Formatting.None));
        if (await store.TryCreateAsync(container, name!, content, "application/json", cancellationToken).ConfigureAwait(false) is not null)
            return new SapSalesOrderRecordResult { OrderId = orderId!, SalesDocument = document, Created = true };

        var existing = await FindAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (existing.Found && existing.SalesDocument == document)
            return new SapSalesOrderRecordResult { OrderId = orderId!, SalesDocument = document, Created = false };
        return new SapSalesOrderRecordResult
        {
            OrderId = orderId!,
            SalesDocument = existing.SalesDocument,
            Conflict = true,
            Errors = new[] { new ContractError("salesDocument", "SapSalesOrderConflict",
                $"Order already recorded with SAP document {existing.SalesDocument ?? "(unreadable)"}; {document} was not stored. Two SAP orders may exist for one order: check in SAP.") },
        };
    }

    public async Task<SapSalesOrderLookupResult> FindAsync(string? orderId, CancellationToken cancellationToken)
    {
        var errors = new List<ContractError>();
        var name = ObjectName(orderId, errors);
        if (errors.Count > 0) return new SapSalesOrderLookupResult { OrderId = orderId ?? "", Errors = errors };

        var stored = await store.ReadAsync(container, name!, cancellationToken).ConfigureAwait(false);
        if (stored is null) return new SapSalesOrderLookupResult { OrderId = orderId! };
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(stored.Content.Span))) { DateParseHandling = DateParseHandling.None };
            var record = JObject.Load(reader);
            return new SapSalesOrderLookupResult
            {
                Found = true,
                OrderId = orderId!,
                SalesDocument = (string?)record["salesDocument"],
                RecordedUtc = (string?)record["recordedUtc"],
            };
        }
        catch (JsonException)
        {
            return new SapSalesOrderLookupResult
            {
                OrderId = orderId!,
                Errors = new[] { new ContractError("", "CorruptRecord", $"The stored record {Prefix}… for this order is not valid JSON.") },
            };
        }
    }

    private static string? ObjectName(string? orderId, List<ContractError> errors)
    {
        if (string.IsNullOrWhiteSpace(orderId))
        {
            errors.Add(new ContractError("orderId", "MissingField", "The order id is required."));
            return null;
        }
        if (SafeText.HasInvalidCharacter(orderId) || orderId.Length > MaxOrderIdLength)
        {
            errors.Add(new ContractError("orderId", "InvalidOrderId", $"The order id must be 1 to {MaxOrderIdLength} printable characters."));
            return null;
        }
        // Escaped so an id can never add path segments ('/', '..') to the object name.
        return Prefix + Uri.EscapeDataString(orderId) + ".json";
    }
}
