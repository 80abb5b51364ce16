using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Idempotency;
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
    /// <summary>The business message id of the <c>OrderCreated</c> that created the document, when recorded.</summary>
    public string? CreatedBy { get; init; }
    /// <summary>A create of this order holds the record right now (no document yet).</summary>
    public bool CreateInFlight { get; init; }
    /// <summary>A create of this order was tried and whether SAP created it is unknown (a lost reply, a timeout, a
    /// duplicate refusal): the next delivery asks SAP for the order before creating it.</summary>
    public bool CreateOutcomeUnknown { get; init; }
    /// <summary>When the order's cancellation that SAP applied occurred (its event's <c>occurredUtc</c>), if one did.</summary>
    public DateTimeOffset? CancelledUtc { get; init; }
    /// <summary>The business message id of that cancellation.</summary>
    public string? CancelledBy { get; init; }
    /// <summary>The ETag of the record as read: <see cref="SapSalesOrderRegistry.RecordCancellationAsync"/> writes with it.</summary>
    public string? ETag { get; init; }
    /// <summary>The record as read (for <see cref="SapSalesOrderRegistry.RecordCancellationAsync"/>).</summary>
    [JsonIgnore] public JObject? Record { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();
}

/// <summary>A cancellation to record in the order's record once SAP applied it (<c>RecordSapResult</c>): the order, the
/// cancelling message, when the cancellation occurred, and the ETag of the record as <c>PrepareSapSalesOrder</c> read it.</summary>
/// <param name="Record">The record's content as read (null: read it again), so the write needs no second read.</param>
public sealed record SapCancellationToRecord(string OrderId, string MessageId, DateTimeOffset OccurredUtc, string? ETag, JObject? Record);

/// <summary>What <see cref="SapSalesOrderRegistry.RecordCancellationAsync"/> did.</summary>
public enum SapCancellationRecordState
{
    /// <summary>The record now holds this cancellation.</summary>
    Recorded,
    /// <summary>The record held a cancellation already (this one redelivered, or an earlier one): left as it was.</summary>
    AlreadyRecorded,
    /// <summary>The order has no record holding a sales document: nothing to mark.</summary>
    NoRecord,
}

/// <summary>What <see cref="SapSalesOrderRegistry.BeginCreateAsync"/> found.</summary>
public enum SapCreateState
{
    /// <summary>This run holds the order's create claim: call SAP, then complete (or release) the claim. When the claim
    /// was taken over (<see cref="SapCreateClaim.MustLookUpFirst"/>), ask SAP for the order before creating it.</summary>
    Started,
    /// <summary>This very message created the order already (a redelivery or a resubmitted run).</summary>
    CreatedByThisMessage,
    /// <summary>The order exists in SAP, created by another message (or recorded by hand): do not create it again.</summary>
    CreatedByAnotherMessage,
    /// <summary>Another run holds a live create claim on the order: back off until its lease ends.</summary>
    InProgressElsewhere,
    /// <summary>The order id, lease or stored record was unusable (see the errors); nothing was claimed.</summary>
    Invalid,
}

/// <summary>The create claim of an order, or what stands in its way.</summary>
/// <param name="TookOverExpiredClaim">The claim was another run's, which did not close it: that run crashed or lost its
/// lease (possibly after SAP created the order), or ended it with the outcome unknown.</param>
/// <param name="PreviousOutcomeUnknown">The run before ended the claim knowing it had called SAP without learning the outcome.</param>
public sealed record SapCreateClaim(SapCreateState State, string? ClaimToken, DateTimeOffset? LeaseExpiresUtc, bool TookOverExpiredClaim,
    string? SalesDocument, JToken? EarlierResult, IReadOnlyList<ContractError> Errors, bool PreviousOutcomeUnknown = false)
{
    /// <summary>SAP may hold the order already although no document is recorded: look it up (by the customer purchase
    /// order number) instead of creating it. True for every taken-over claim, since a run that vanished may have created it.</summary>
    public bool MustLookUpFirst => State == SapCreateState.Started && (TookOverExpiredClaim || PreviousOutcomeUnknown);
}

/// <summary>
/// The SAP sales document of each order, kept so the change and cancel paths find it, and the claim that creates it.
/// One idempotency record per order (<see cref="IdempotencyStore"/>, consumer <see cref="Consumer"/>, key = the order
/// id, so <c>sap-orders/{orderId}.json</c> in the idempotency container): an <c>OrderCreated</c> claims the ORDER,
/// not its message. Begin is the record's conditional create ("creating", with a lease); the settlement completes it
/// with one If-Match write whose result holds the sales document and the creating message id. So a create costs two
/// storage transactions, and one order gets one SAP document whatever message ids its creates carry.
/// A create whose outcome is unknown (the call failed after it may have reached SAP, or SAP refused it as a duplicate
/// customer reference) is never given back as "fresh": the settlement ends the claim marked <c>outcomeUnknown</c>
/// (<see cref="IdempotencyStore.ReleaseOutcomeUnknownAsync"/>), and the next delivery, taking it over, asks SAP for
/// the order by its purchase order number (<see cref="SapSalesOrderMapper.MapLookup"/>) instead of creating it.
/// Records of the earlier format (<c>{orderId, salesDocument, recordedUtc}</c>, before the record was the claim) are
/// still read as created orders.
/// </summary>
public sealed class SapSalesOrderRegistry
{
    /// <summary>The idempotency consumer the order records live under (not a subscriber: the registry is shared).</summary>
    public const string Consumer = "sap-orders";
    public const string Prefix = Consumer + "/";
    public const string CreateOperation = "CreateSalesOrder";
    private const int MaxOrderIdLength = 128;
    private static readonly TimeSpan RecordLease = TimeSpan.FromMinutes(1);

    private readonly IObjectStore store;
    private readonly string container;
    private readonly IdempotencyStore claims;
    private readonly TimeProvider clock;

    /// <exception cref="InvalidObjectNameException">The container name breaks the storage naming rules.</exception>
    public SapSalesOrderRegistry(IObjectStore store, TimeProvider clock, string container)
    {
        claims = new IdempotencyStore(store, clock, container);
        this.store = store;
        this.container = container;
        this.clock = clock;
    }

    /// <summary>Where an order's record lives in the idempotency container.</summary>
    public static string RecordName(string orderId) => IdempotencyStore.RecordName(Consumer, orderId);

    /// <summary>The result an order's create claim is completed with: what <see cref="FindAsync"/> reads back.</summary>
    public static JObject CreatedResult(string? salesDocument, string? messageId) => new()
    {
        ["operation"] = CreateOperation,
        ["salesDocument"] = salesDocument,
        ["messageId"] = messageId,
    };

    /// <summary>
    /// Claims the creation of <paramref name="orderId"/>'s sales document for the message <paramref name="messageId"/>:
    /// one conditional create when the order is new; a read more when a record is there (created, or claimed by a run
    /// whose lease is live or over: an expired claim is taken over with If-Match, as every idempotency claim).
    /// </summary>
    public async Task<SapCreateClaim> BeginCreateAsync(string? orderId, string messageId, TimeSpan lease, CancellationToken cancellationToken, string? owner = null)
    {
        var errors = new List<ContractError>();
        ValidateOrderId(orderId, errors);
        if (errors.Count > 0) return new SapCreateClaim(SapCreateState.Invalid, null, null, false, null, null, errors);

        var begun = await claims.BeginAsync(Consumer, orderId!, lease, cancellationToken, owner).ConfigureAwait(false);
        switch (begun.State)
        {
            case ClaimState.Started:
                // A claim re-entered by its own resumed run counts as taken over: that run's earlier life may have created the order.
                return new SapCreateClaim(SapCreateState.Started, begun.ClaimToken, begun.LeaseExpiresUtc, begun.TookOverExpiredClaim || begun.ReenteredOwnClaim, null, null, [],
                    begun.PreviousOutcomeUnknown);
            case ClaimState.InProgressElsewhere:
                return new SapCreateClaim(SapCreateState.InProgressElsewhere, null, begun.LeaseExpiresUtc, false, null, null, []);
            case ClaimState.AlreadyCompleted:
                var createdBy = (begun.Result as JObject)?["messageId"] is JValue { Type: JTokenType.String } id ? (string?)id : null;
                return new SapCreateClaim(createdBy == messageId ? SapCreateState.CreatedByThisMessage : SapCreateState.CreatedByAnotherMessage,
                    null, null, false, NormalizedDocument(begun.Result?["salesDocument"]), begun.Result, []);
            default:
                // A record of the earlier format is no claim record, but it does say the order exists in SAP.
                var legacy = await FindAsync(orderId, cancellationToken).ConfigureAwait(false);
                return legacy.Found
                    ? new SapCreateClaim(SapCreateState.CreatedByAnotherMessage, null, null, false, legacy.SalesDocument, null, [])
                    : new SapCreateClaim(SapCreateState.Invalid, null, null, false, null, null, begun.Problems);
        }
    }

    /// <summary>Records a sales document for an order outside a workflow run (operator tooling, tests): a create claim
    /// completed at once. The first number wins; a different one is reported as a conflict instead of overwriting it.</summary>
    public async Task<SapSalesOrderRecordResult> RecordAsync(string? orderId, string? salesDocument, CancellationToken cancellationToken)
    {
        var errors = new List<ContractError>();
        ValidateOrderId(orderId, errors);
        var document = string.IsNullOrWhiteSpace(salesDocument) || !SapNumbers.IsDigits(salesDocument.Trim())
            ? null : SapNumbers.AlphaInput(salesDocument, SapNumbers.DocumentNumberLength);
        if (document is null)
            errors.Add(new ContractError("salesDocument", "InvalidSapSalesOrderNumber", "The SAP sales document number must be 1 to 10 digits."));
        if (errors.Count > 0) return new SapSalesOrderRecordResult { OrderId = orderId ?? "", Errors = errors };

        var claim = await BeginCreateAsync(orderId, messageId: "", RecordLease, cancellationToken).ConfigureAwait(false);
        switch (claim.State)
        {
            case SapCreateState.Started:
                var completed = await claims.CompleteAsync(Consumer, orderId!, claim.ClaimToken!, CreatedResult(document, null), cancellationToken).ConfigureAwait(false);
                return completed.State == CompleteState.Completed
                    ? new SapSalesOrderRecordResult { OrderId = orderId!, SalesDocument = document, Created = true }
                    : new SapSalesOrderRecordResult { OrderId = orderId!, Errors = completed.Problems.Count > 0 ? completed.Problems : [new ContractError("orderId", "SapSalesOrderNotRecorded", completed.Message)] };
            case SapCreateState.CreatedByThisMessage:
            case SapCreateState.CreatedByAnotherMessage:
                if (claim.SalesDocument == document) return new SapSalesOrderRecordResult { OrderId = orderId!, SalesDocument = document };
                return new SapSalesOrderRecordResult
                {
                    OrderId = orderId!,
                    SalesDocument = claim.SalesDocument,
                    Conflict = true,
                    Errors = [new ContractError("salesDocument", "SapSalesOrderConflict",
                        $"Order already recorded with SAP document {claim.SalesDocument ?? "(none recorded)"}; {document} was not stored. Two SAP orders may exist for one order: check in SAP.")],
                };
            case SapCreateState.InProgressElsewhere:
                return new SapSalesOrderRecordResult
                {
                    OrderId = orderId!,
                    Conflict = true,
                    Errors = [new ContractError("orderId", "SapSalesOrderCreateInFlight",
                        $"A run is creating this order in SAP until {claim.LeaseExpiresUtc:O}; {document} was not stored.")],
                };
            default:
                return new SapSalesOrderRecordResult { OrderId = orderId!, Errors = claim.Errors };
        }
    }

    /// <summary>The sales document recorded for an order: one read.</summary>
    public async Task<SapSalesOrderLookupResult> FindAsync(string? orderId, CancellationToken cancellationToken)
    {
        var errors = new List<ContractError>();
        ValidateOrderId(orderId, errors);
        if (errors.Count > 0) return new SapSalesOrderLookupResult { OrderId = orderId ?? "", Errors = errors };

        var stored = await store.ReadAsync(container, RecordName(orderId!), cancellationToken).ConfigureAwait(false);
        if (stored is null) return new SapSalesOrderLookupResult { OrderId = orderId! };
        JObject record;
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(stored.Content.Span))) { DateParseHandling = DateParseHandling.None };
            record = JObject.Load(reader);
        }
        catch (JsonException)
        {
            return new SapSalesOrderLookupResult
            {
                OrderId = orderId!,
                Errors = [new ContractError("", "CorruptRecord", $"The stored record {Prefix}… for this order is not valid JSON.")],
            };
        }
        var cancellation = record[CancellationProperty] as JObject;
        var cancelledUtc = NonEmpty(cancellation?["occurredUtc"]) is { } occurred
                           && DateTimeOffset.TryParse(occurred, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant) ? instant : (DateTimeOffset?)null;
        switch ((string?)record["state"])
        {
            case "Completed":
                return new SapSalesOrderLookupResult
                {
                    Found = true,
                    OrderId = orderId!,
                    SalesDocument = NormalizedDocument(record["result"]?["salesDocument"]),
                    RecordedUtc = Utc(record["completedUtc"]),
                    CreatedBy = NonEmpty(record["result"]?["messageId"]),
                    CancelledUtc = cancelledUtc,
                    CancelledBy = NonEmpty(cancellation?["messageId"]),
                    ETag = stored.ETag,
                    Record = record,
                };
            case "InProgress" when record["outcomeUnknown"] is JValue { Type: JTokenType.Boolean } unknown && (bool)unknown:
                return new SapSalesOrderLookupResult { OrderId = orderId!, CreateOutcomeUnknown = true };
            case "InProgress":
                return new SapSalesOrderLookupResult { OrderId = orderId!, CreateInFlight = true };
            case null when record["salesDocument"] is JValue { Type: JTokenType.String }:
                // The earlier format: {orderId, salesDocument, recordedUtc}, written once SAP had created the order.
                return new SapSalesOrderLookupResult
                {
                    Found = true,
                    OrderId = orderId!,
                    SalesDocument = NormalizedDocument(record["salesDocument"]),
                    RecordedUtc = Utc(record["recordedUtc"]),
                    CancelledUtc = cancelledUtc,
                    CancelledBy = NonEmpty(cancellation?["messageId"]),
                    ETag = stored.ETag,
                    Record = record,
                };
            default:
                return new SapSalesOrderLookupResult
                {
                    OrderId = orderId!,
                    Errors = [new ContractError("", "CorruptRecord", $"The stored record {Prefix}… for this order is neither a create claim nor a created order.")],
                };
        }
    }

    /// <summary>
    /// Marks the order cancelled once SAP applied its cancellation: the record gains <c>cancellation</c>
    /// (<c>{occurredUtc, messageId, recordedUtc}</c>) with one If-Match write on the ETag the cancellation's first step
    /// read, so an update that occurred before it and arrives later (published out of business order) is known to be
    /// superseded at no extra storage cost: its first step reads this record for the sales document anyway. A lost race
    /// (the record changed since) costs a read and a second write. The first cancellation recorded stays.
    /// </summary>
    public async Task<SapCancellationRecordState> RecordCancellationAsync(SapCancellationToRecord cancellation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        var name = RecordName(cancellation.OrderId);
        var record = cancellation.Record?.DeepClone() as JObject;
        var etag = cancellation.ETag;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (record is null || etag is null)
            {
                var stored = await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
                if (stored is null) return SapCancellationRecordState.NoRecord;
                etag = stored.ETag;
                record = Parse(stored) ?? throw new InvalidDataException($"The stored record {Prefix}… of the order is not valid JSON; the cancellation was not recorded.");
            }
            if (record[CancellationProperty] is JObject) return SapCancellationRecordState.AlreadyRecorded;
            record[CancellationProperty] = new JObject
            {
                ["occurredUtc"] = cancellation.OccurredUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["messageId"] = cancellation.MessageId,
                ["recordedUtc"] = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            };
            if (await store.TryReplaceAsync(container, name, Utf8Text.CompactJson(record), "application/json", etag, cancellationToken)
                    .ConfigureAwait(false) is not null)
            {
                return SapCancellationRecordState.Recorded;
            }
            // A lost race (the record changed since it was read): read it again.
            record = null;
        }
        throw new ObjectStoreException("RecordKeptChanging", $"The record {Prefix}… of the order kept changing; the cancellation was not recorded.");
    }

    private const string CancellationProperty = "cancellation";

    private static JObject? Parse(StoredObject stored)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(stored.Content.Span))) { DateParseHandling = DateParseHandling.None };
            return JObject.Load(reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ValidateOrderId(string? orderId, List<ContractError> errors)
    {
        if (string.IsNullOrWhiteSpace(orderId))
        {
            errors.Add(new ContractError("orderId", "MissingField", "The order id is required."));
        }
        else if (SafeText.HasInvalidCharacter(orderId) || orderId.Length > MaxOrderIdLength)
        {
            errors.Add(new ContractError("orderId", "InvalidOrderId", $"The order id must be 1 to {MaxOrderIdLength} printable characters."));
        }
    }

    /// <summary>The 10-digit (ALPHA) form of a recorded document number, or null when none (or no number) is recorded.</summary>
    private static string? NormalizedDocument(JToken? value) =>
        NonEmpty(value) is { } text && SapNumbers.IsDigits(text.Trim()) ? SapNumbers.AlphaInput(text, SapNumbers.DocumentNumberLength) : null;

    private static string? NonEmpty(JToken? value) =>
        value is JValue { Type: JTokenType.String } text && !string.IsNullOrWhiteSpace((string?)text) ? (string?)text : null;

    private static string? Utc(JToken? value) =>
        NonEmpty(value) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)
            ? instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)
            : NonEmpty(value);
}
