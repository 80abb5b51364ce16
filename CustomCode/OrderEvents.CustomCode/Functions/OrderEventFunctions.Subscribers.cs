using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Lake;
using OrderEvents.CustomCode.Mapping.Sap;
using OrderEvents.CustomCode.Mapping.Sms;
using OrderEvents.CustomCode.Mapping.Warehouse;
using OrderEvents.CustomCode.Messaging;

namespace OrderEvents.CustomCode.Functions;

/// <summary>
/// What a subscriber's first step learned about its delivery: whether the message is a valid order event (and if not,
/// every reason), the facts its tracked properties carry, and the idempotency claim. <see cref="Claim"/> is null when
/// nothing was claimed (an invalid message, a subscriber without a claim such as the lake archive, or a SAP
/// <c>OrderCreated</c> for an order another message already created).
/// </summary>
public sealed record DeliveryGate
{
    public bool IsValid { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = [];
    public string? OrderId { get; init; }
    /// <summary>The event's business message id (the idempotency key).</summary>
    public string? MessageId { get; init; }
    public string? EventType { get; init; }
    public string? CorrelationId { get; init; }
    /// <summary>The message's <c>publishedBy</c> application property (the publisher's object id), when it is a GUID.</summary>
    public string? PublishedBy { get; init; }
    /// <summary>When the topic accepted the message (<c>enqueuedTimeUtc</c>).</summary>
    public string? PublishedUtc { get; init; }
    public string? Consumer { get; init; }
    public ClaimState? Claim { get; init; }
    /// <summary>The idempotency record the claim is on, as <c>DecideSettlement</c>'s <c>consumer</c> and <c>key</c>: the
    /// subscriber and the business message id, except for a SAP <c>OrderCreated</c>, whose claim is the order's record
    /// (<see cref="SapSalesOrderRegistry.Consumer"/> and the order id).</summary>
    public string? ClaimConsumer { get; init; }
    /// <inheritdoc cref="ClaimConsumer"/>
    public string? ClaimKey { get; init; }
    /// <summary>Set when <see cref="Claim"/> is <c>Started</c>: DecideSettlement completes or releases the claim with it.</summary>
    public string? ClaimToken { get; init; }
    /// <summary>Until when this run's claim holds (UTC), when it took one.</summary>
    public string? LeaseExpiresUtc { get; init; }
    /// <summary>The result an earlier run recorded (<see cref="Claim"/> <c>AlreadyCompleted</c>).</summary>
    public JToken? EarlierResult { get; init; }
}

/// <summary><c>PrepareSapSalesOrder</c>: call SAP only when <see cref="Proceed"/>; then <see cref="Sap"/> holds the call.</summary>
public sealed record SapPreparation(DeliveryGate Delivery, bool Proceed, SapSalesOrderRequest? Sap)
{
    /// <summary>For a cancellation SAP is about to apply: what <c>RecordSapResult</c> records in the order's record once
    /// SAP committed it (the record as read, so that costs one If-Match write).</summary>
    public SapCancellationToRecord? Cancellation { get; init; }
}

/// <summary><c>RecordSapResult</c>: what SAP answered, auto-commit included.</summary>
public sealed record SapCallResult
{
    /// <summary>SAP accepted the call and committed it: the change is in SAP.</summary>
    public bool Succeeded { get; init; }
    /// <summary>The RETURN table held no error, but the auto-commit did not happen (only warnings: the connector
    /// commits only a response without errors and warnings) or failed.</summary>
    public bool NotCommitted { get; init; }
    /// <summary>The refusal is worth retrying later (a lock held by another user, or a failed commit).</summary>
    public bool IsTransient { get; init; }
    public string Operation { get; init; } = "";
    public string? SalesDocument { get; init; }
    public IReadOnlyList<SapReturnMessage> Messages { get; init; } = [];
    public IReadOnlyList<ContractError> Errors { get; init; } = [];
    /// <summary>Whether SAP may have made the change although the call did not succeed: the create was refused as a
    /// duplicate customer reference (the order may exist already), or its commit failed. The settlement then ends the
    /// order's claim as outcome unknown instead of giving it back, and the next delivery looks the order up.</summary>
    public bool OutcomeUnknown { get; init; }
    /// <summary>SAP refused the create with the duplicate purchase order message (<see cref="CustomCodeOptions.SapDuplicateReferenceMessages"/>).</summary>
    public bool DuplicateReference { get; init; }
    /// <summary>For a look-up (<c>FindSalesOrder</c>): true when SAP lists exactly one sales document for the purchase order
    /// number (then <see cref="SalesDocument"/>), false when none; null for the other operations and when SAP lists several.</summary>
    public bool? Found { get; init; }
    /// <summary>For a look-up: every sales document SAP listed (more than one: two orders carry the reference, see an operator).</summary>
    public IReadOnlyList<string> ListedSalesDocuments { get; init; } = [];
}

/// <summary><c>PrepareSms</c>: send <see cref="Sms"/> only when <see cref="Proceed"/>; with <see cref="Reconcile"/>, first ask
/// Twilio whether an earlier attempt sent it already (<c>FindSmsAlreadySent</c>).</summary>
public sealed record SmsPreparation(DeliveryGate Delivery, bool Proceed, SmsMessage? Sms)
{
    /// <summary>The claim was taken over from an earlier attempt of this event that never closed it (its run died, or lost
    /// its lease), or is this run's own from before an outage (the run resumed and runs this step again): that attempt may
    /// have sent the SMS before it stopped. Only with <see cref="Proceed"/>.</summary>
    public bool Reconcile { get; init; }

    /// <summary>With <see cref="Reconcile"/>: when that earlier attempt began (ISO 8601 UTC), or null when the claim does
    /// not say; an SMS Twilio created before it is not this event's.</summary>
    public string? EarlierAttemptStartedUtc { get; init; }
}

public sealed record WarehousePreparation(DeliveryGate Delivery, bool Proceed, WarehouseRequest? Warehouse);

/// <summary><c>ArchiveOrderEvent</c>: the lake write (create-if-absent is this subscriber's idempotency).</summary>
public sealed record LakeArchiving(DeliveryGate Delivery, LakeWriteResult? Lake);

/// <summary>
/// The subscribers' first steps: each reads its delivery (decode, claim check, contract), claims the business message
/// id for its consumer and prepares the downstream call, so that a workflow needs one action before the call itself.
/// A storage fault after the claim releases the claim before it is reported, so a redelivery can start at once.
/// </summary>
public sealed partial class OrderEventFunctions
{
    /// <summary>
    /// The SAP subscriber's first step. An <c>OrderCreated</c> claims the ORDER (<see cref="SapSalesOrderRegistry"/>): the
    /// order's record is the claim, so the create costs two storage transactions (this conditional create, and
    /// <c>DecideSettlement</c>'s If-Match write that stores the sales document) and no order gets a second document, whatever
    /// message id its create carries. An update or cancellation looks the document up (one read) and claims its message
    /// id (two more).
    /// </summary>
    /// <param name="message">The built-in Service Bus trigger's message (<c>triggerBody()</c>).</param>
    [WorkflowFunction("PrepareSapSalesOrder")]
    public async Task<SapPreparation> PrepareSapSalesOrder(JToken? message, string consumer, string salesOrganization, string distributionChannel,
        string division, string documentType, int leaseSeconds = 300, string rejectionReason = "10", string? owner = null, CancellationToken cancellationToken = default)
    {
        var read = await ReadDeliveryAsync(message, cancellationToken).ConfigureAwait(false);
        if (!read.Gate.IsValid) return new SapPreparation(read.Gate, false, null);
        var area = new SapSalesArea(salesOrganization, distributionChannel, division, documentType, rejectionReason);
        if (CreateSapRegistry(out var problem) is not { } registry)
        {
            return new SapPreparation(read.Gate with { Consumer = consumer, Claim = ClaimState.Invalid, Errors = [problem!] }, false, null);
        }
        if (read.Gate.EventType == OrderEventTypes.Created)
        {
            return await PrepareSapCreateAsync(read, registry, consumer, area, leaseSeconds, owner, cancellationToken).ConfigureAwait(false);
        }
        var found = await registry.FindAsync(read.Gate.OrderId!, cancellationToken).ConfigureAwait(false);
        if (read.Gate.EventType == OrderEventTypes.Updated && found.CancelledUtc is { } cancelled)
        {
            // The order's cancellation was applied first (the events were published out of business order): the record
            // read for the sales document says so, at no extra storage cost (docs/custom-code.md, "SAP: an update after
            // the cancellation"). Nothing is claimed: the decision is the same on every delivery.
            return new SapPreparation(read.Gate with { Consumer = consumer }, false, UpdateOfCancelledOrder(read.OrderEvent!, found, cancelled));
        }
        var gate = await ClaimAsync(read.Gate, consumer, leaseSeconds, owner, cancellationToken).ConfigureAwait(false);
        if (gate.Claim != ClaimState.Started) return new SapPreparation(gate, false, null);
        var sap = await ReleasingOnFault(gate, () => Task.FromResult(SapSalesOrderMapper.Map(read.OrderEvent, area, found.SalesDocument, read.Typed)), cancellationToken).ConfigureAwait(false);
        var cancellation = read.Gate.EventType == OrderEventTypes.Cancelled && sap.ShouldCall && found.CancelledUtc is null
            ? new SapCancellationToRecord(read.Gate.OrderId!, read.Gate.MessageId!, OrderEventJson.OccurredUtc(read.OrderEvent!), found.ETag, found.Record)
            : null;
        return new SapPreparation(gate, sap.ShouldCall, sap) { Cancellation = cancellation };
    }

    /// <summary>
    /// An <c>OrderUpdated</c> of an order whose cancellation SAP applied already. One that occurred before the
    /// cancellation is superseded: the cancellation rejected every item after it in business time, so SAP is not called
    /// and the message completes (outcome <c>Superseded</c>). One that occurred after it changes an order the business
    /// had cancelled: that is refused for an operator to judge (dead-lettered with the reason), never applied.
    /// </summary>
    private static SapSalesOrderRequest UpdateOfCancelledOrder(JObject orderEvent, SapSalesOrderLookupResult found, DateTimeOffset cancelled)
    {
        var occurred = OrderEventJson.OccurredUtc(orderEvent);
        if (occurred <= cancelled) return SapSalesOrderRequest.Superseded(found.SalesDocument, found.CancelledBy);
        return new SapSalesOrderRequest
        {
            ShouldCall = false,
            Operation = "ChangeQuantities",
            SalesDocument = found.SalesDocument,
            Errors =
            [
                new ContractError("occurredUtc", "OrderCancelled",
                    $"The order was cancelled (message {found.CancelledBy ?? "(unknown)"}, occurred {cancelled.UtcDateTime:O}) and this update occurred later "
                    + $"({occurred.UtcDateTime:O}): an update to a cancelled order is not applied. Check with the publisher whether the order was revived."),
            ],
        };
    }

    private async Task<SapPreparation> PrepareSapCreateAsync(Delivery read, SapSalesOrderRegistry registry, string consumer, SapSalesArea area, int leaseSeconds,
        string? owner, CancellationToken cancellationToken)
    {
        var gate = read.Gate with { Consumer = consumer };
        var claim = await registry.BeginCreateAsync(gate.OrderId, gate.MessageId!, TimeSpan.FromSeconds(leaseSeconds), cancellationToken, owner).ConfigureAwait(false);
        switch (claim.State)
        {
            case SapCreateState.Started:
                gate = gate with
                {
                    Claim = ClaimState.Started, ClaimConsumer = SapSalesOrderRegistry.Consumer, ClaimKey = gate.OrderId,
                    ClaimToken = claim.ClaimToken, LeaseExpiresUtc = FormatUtc(claim.LeaseExpiresUtc),
                };
                // A claim taken over may hide a create that reached SAP (a lost reply, a crash after the call): ask SAP
                // for the order first, in the same Call_SAP_BAPI action (the happy path keeps its actions).
                var sap = await ReleasingOnFault(gate, () => Task.FromResult(claim.MustLookUpFirst
                    ? SapSalesOrderMapper.MapLookup(read.OrderEvent, area, read.Typed)
                    : SapSalesOrderMapper.Map(read.OrderEvent, area, null, read.Typed)), cancellationToken).ConfigureAwait(false);
                return new SapPreparation(gate, sap.ShouldCall, sap);
            case SapCreateState.CreatedByThisMessage:
                return new SapPreparation(gate with { Claim = ClaimState.AlreadyCompleted, EarlierResult = claim.EarlierResult }, false, null);
            case SapCreateState.CreatedByAnotherMessage:
                // One SAP document per order: nothing is claimed or sent; the classifier reports the create as skipped.
                return new SapPreparation(gate, false, SapSalesOrderRequest.AlreadyCreated(claim.SalesDocument));
            case SapCreateState.InProgressElsewhere:
                return new SapPreparation(gate with { Claim = ClaimState.InProgressElsewhere, LeaseExpiresUtc = FormatUtc(claim.LeaseExpiresUtc) }, false, null);
            default:
                return new SapPreparation(gate with { Claim = ClaimState.Invalid, Errors = claim.Errors }, false, null);
        }
    }

    /// <summary>Reads the <c>bapiCallMethod</c> action's body (<c>content</c>, <c>autoCommitResponse</c>): what SAP
    /// answered and whether it committed. For a create it stores nothing: the settlement records a created order's sales
    /// document when it completes the order's claim; a committed cancellation is recorded in the order's record here. A look-up (<c>FindSalesOrder</c>, GetList, no commit) reports what SAP
    /// listed; a create refused as a duplicate customer reference, or whose commit failed, has its outcome unknown.</summary>
    /// <param name="cancellation"><c>PrepareSapSalesOrder</c>'s <c>cancellation</c>: once SAP committed the cancellation,
    /// it is recorded in the order's record (one If-Match write), so a stale update that arrives later is superseded.</param>
    [WorkflowFunction("RecordSapResult")]
    public async Task<SapCallResult> RecordSapResult(JToken? callResult, string operation, JToken? cancellation = null, CancellationToken cancellationToken = default)
    {
        var result = ReadSapResult(callResult, operation);
        if (result.Succeeded && ReadCancellation(cancellation) is { } applied)
        {
            // A storage fault here fails the action: the run abandons and the redelivery rejects the items again (SAP
            // changes nothing the second time) and records the cancellation then.
            if (CreateSapRegistry(out var problem) is not { } registry) throw new InvalidOperationException(problem!.Message);
            await registry.RecordCancellationAsync(applied, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private static SapCancellationToRecord? ReadCancellation(JToken? cancellation)
    {
        if (cancellation is not JObject json) return null;
        var orderId = json["orderId"] is JValue { Type: JTokenType.String } o ? (string?)o : null;
        var messageId = json["messageId"] is JValue { Type: JTokenType.String } m ? (string?)m : null;
        DateTimeOffset? occurred = json["occurredUtc"] switch
        {
            JValue { Value: DateTime instant } => new DateTimeOffset(instant.ToUniversalTime()),
            JValue { Value: DateTimeOffset instant } => instant,
            JValue { Type: JTokenType.String } text when DateTimeOffset.TryParse((string?)text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var instant) => instant,
            _ => null,
        };
        if (string.IsNullOrEmpty(orderId) || string.IsNullOrEmpty(messageId) || occurred is null) return null;
        var etag = json.GetValue("eTag", StringComparison.OrdinalIgnoreCase) is JValue { Type: JTokenType.String } e ? (string?)e : null;
        return new SapCancellationToRecord(orderId, messageId, occurred.Value, etag, json["record"] as JObject);
    }

    private SapCallResult ReadSapResult(JToken? callResult, string operation)
    {
        var response = SapBapiResponseReader.Read(callResult);
        if (operation == SapSalesOrderMapper.LookupOperation)
        {
            var listed = response.ListedSalesDocuments;
            return new SapCallResult
            {
                Operation = operation,
                Succeeded = response.Succeeded && response.Errors.Count == 0,
                // A look-up that failed leaves the order's fate as unknown as before: retry it.
                IsTransient = !response.Succeeded || response.Errors.Count > 0,
                OutcomeUnknown = !response.Succeeded || response.Errors.Count > 0 || listed.Count > 1,
                Found = listed.Count switch { 0 => false, 1 => true, _ => null },
                SalesDocument = listed.Count == 1 ? listed[0] : null,
                ListedSalesDocuments = listed,
                Messages = response.Messages,
                Errors = response.Errors,
            };
        }
        var commit = ReadAutoCommit(callResult);
        var committed = response.Succeeded && commit.Committed;
        // The duplicate check set to an error refuses (E); set to a warning (W) it stops the auto-commit, which "takes
        // no action if the BAPI response has only warnings" (Learn, SAP built-in connector reference, Auto commit).
        // Either way SAP did not create this order and may hold it already.
        var duplicate = operation == SapSalesOrderMapper.CreateOperation && !committed
                        && response.Messages.Any(m => m.Type is "E" or "A" or "W" && IsDuplicateReference(m));
        var commitFailed = response.Succeeded && commit.Failed;
        return new SapCallResult
        {
            Operation = operation,
            SalesDocument = response.SalesDocument,
            Messages = response.Messages.Concat(commit.Messages).ToList(),
            Errors = response.Errors,
            Succeeded = committed,
            NotCommitted = response.Succeeded && !commit.Committed,
            IsTransient = duplicate || (response.Succeeded ? commit.Failed : response.IsTransient),
            DuplicateReference = duplicate,
            OutcomeUnknown = operation == SapSalesOrderMapper.CreateOperation && (duplicate || commitFailed),
        };
    }

    private bool IsDuplicateReference(SapReturnMessage message) =>
        services.Options.SapDuplicateReferenceMessages
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(configured => configured.Split('/', StringSplitOptions.TrimEntries) is [var id, var number]
                               && string.Equals(id, message.Id, StringComparison.OrdinalIgnoreCase)
                               && string.Equals(number.TrimStart('0'), message.Number.TrimStart('0'), StringComparison.Ordinal));

    /// <summary>
    /// The SMS subscriber's first step: read, claim, map. A claim taken over from an earlier attempt that never closed it,
    /// or the run's own claim got back after an outage (<see cref="SmsPreparation.Reconcile"/>), may hide an SMS Twilio
    /// accepted before that attempt died, and Twilio's Messages API takes no idempotency key: the workflow then lists the
    /// messages sent to the number and sends only if none of them is this SMS (<see cref="FindSmsAlreadySent"/>). A first
    /// attempt costs what it did: the claim's conditional create, no read and no Twilio call.
    /// </summary>
    [WorkflowFunction("PrepareSms")]
    public async Task<SmsPreparation> PrepareSms(JToken? message, string consumer, JToken? templates = null, string? fromNumber = null,
        int leaseSeconds = 300, string? owner = null, CancellationToken cancellationToken = default)
    {
        var read = await ReadDeliveryAsync(message, cancellationToken).ConfigureAwait(false);
        if (!read.Gate.IsValid) return new SmsPreparation(read.Gate, false, null);
        var (gate, begun) = await ClaimWithOutcomeAsync(read.Gate, consumer, leaseSeconds, owner, cancellationToken).ConfigureAwait(false);
        if (gate.Claim != ClaimState.Started) return new SmsPreparation(gate, false, null);
        var sms = await ReleasingOnFault(gate, () => Task.FromResult(SmsMapper.Map(read.OrderEvent, templates, fromNumber, read.Typed)), cancellationToken).ConfigureAwait(false);
        // A run resumed after an outage that runs this step again may have sent before its last checkpoint, as SAP's
        // resumed create may have created (PrepareSapSalesOrder looks the order up in both cases too).
        var reconcile = sms.ShouldSend && (begun.TookOverExpiredClaim || begun.ReenteredOwnClaim);
        return new SmsPreparation(gate, sms.ShouldSend, sms)
        {
            Reconcile = reconcile,
            EarlierAttemptStartedUtc = reconcile ? begun.EarlierAttemptStartedUtc : null,
        };
    }

    [WorkflowFunction("PrepareWarehouseRequest")]
    public async Task<WarehousePreparation> PrepareWarehouseRequest(JToken? message, string consumer, int leaseSeconds = 300, string? owner = null, CancellationToken cancellationToken = default)
    {
        var read = await ReadDeliveryAsync(message, cancellationToken).ConfigureAwait(false);
        if (!read.Gate.IsValid) return new WarehousePreparation(read.Gate, false, null);
        var gate = await ClaimAsync(read.Gate, consumer, leaseSeconds, owner, cancellationToken).ConfigureAwait(false);
        if (gate.Claim != ClaimState.Started) return new WarehousePreparation(gate, false, null);
        var request = await ReleasingOnFault(gate, () => Task.FromResult(WarehouseRequestMapper.Map(read.OrderEvent, read.Typed)), cancellationToken).ConfigureAwait(false);
        return new WarehousePreparation(gate, request.ShouldCall, request);
    }

    /// <summary>
    /// Reads the delivery and stores the event in its lake partition with its <c>audit</c> (who published it and when).
    /// The lake file is created only if absent, so it is its own idempotency: a redelivery finds it (<c>created</c>
    /// false) and writes nothing. A file holding the same event with other audit facts (the event published again after
    /// the topic's duplicate-detection window) counts as the same event: the first publication stays on record.
    /// </summary>
    [WorkflowFunction("ArchiveOrderEvent")]
    public async Task<LakeArchiving> ArchiveOrderEvent(JToken? message, CancellationToken cancellationToken = default)
    {
        var read = await ReadDeliveryAsync(message, cancellationToken).ConfigureAwait(false);
        if (!read.Gate.IsValid) return new LakeArchiving(read.Gate, null);
        if (CreateLake(out var problem) is not { } lake)
        {
            return new LakeArchiving(read.Gate, new LakeWriteResult(false, services.Options.LakeContainer, null, false, false, [problem!]));
        }
        // The record is the event with its audit as one more top-level property, written from the event without a copy of it.
        var audit = new JObject { ["publishedBy"] = read.Gate.PublishedBy, ["publishedUtc"] = read.Gate.PublishedUtc };
        var written = await lake.WriteOrderAsync(read.OrderEvent, (LakeAudit, audit), cancellationToken).ConfigureAwait(false);
        if (written.Conflict && written.Path is not null && await SameEventAsync(lake.Container, written.Path, read.OrderEvent!, cancellationToken).ConfigureAwait(false))
        {
            written = written with { Conflict = false };
        }
        return new LakeArchiving(read.Gate, ToResult(written));
    }

    /// <summary>The top-level property of a lake order record that holds its audit facts (not part of the event contract).</summary>
    public const string LakeAudit = "audit";

    /// <param name="Typed">The event as the mappers read it, made by the validation that accepted it (null for a
    /// claim-checked event: the mappers read its payload).</param>
    private sealed record Delivery(DeliveryGate Gate, JObject? OrderEvent, OrderEvent? Typed);

    private async Task<Delivery> ReadDeliveryAsync(JToken? message, CancellationToken cancellationToken)
    {
        var envelope = message as JObject;
        var read = await new OrderMessageReader(services)
            .ReadAsync(envelope?["contentData"], envelope?["contentType"] is JValue { Type: JTokenType.String } type ? (string?)type : null, cancellationToken)
            .ConfigureAwait(false);
        var userProperties = envelope?["userProperties"] as JObject;
        var publishedBy = userProperties?.GetValue(OrderMessageProperties.PublishedBy, StringComparison.OrdinalIgnoreCase) is JValue { Type: JTokenType.String } p
                          && Guid.TryParseExact((string?)p, "D", out var principal) ? principal.ToString("D") : null;
        var gate = new DeliveryGate
        {
            IsValid = read.IsValid,
            Errors = message is JObject ? read.Errors : [new ContractError("message", ContractErrorCodes.WrongType, "The delivery must be the Service Bus trigger's message object.")],
            OrderId = read.OrderId,
            MessageId = read.MessageId,
            EventType = read.EventType,
            CorrelationId = read.CorrelationId,
            PublishedBy = publishedBy,
            PublishedUtc = envelope?["enqueuedTimeUtc"] switch
            {
                JValue { Type: JTokenType.String } text => (string?)text,
                JValue { Value: DateTime instant } => instant.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                JValue { Value: DateTimeOffset instant } => instant.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            },
        };
        return new Delivery(gate with { IsValid = read.IsValid && message is JObject }, read.OrderEvent, read.ReadEvent);
    }

    /// <param name="owner">The claiming run's name: a run resumed after its host died runs its Prepare action again and gets
    /// its own claim back instead of finding it "held elsewhere" until the lease runs out (redeliveries meanwhile use up
    /// the delivery count and dead-letter a good message).</param>
    private async Task<DeliveryGate> ClaimAsync(DeliveryGate gate, string consumer, int leaseSeconds, string? owner, CancellationToken cancellationToken) =>
        (await ClaimWithOutcomeAsync(gate, consumer, leaseSeconds, owner, cancellationToken).ConfigureAwait(false)).Gate;

    /// <summary><see cref="ClaimAsync"/>, with what the claim found (whether it took over an earlier attempt, and when that began).</summary>
    private async Task<(DeliveryGate Gate, BeginIdempotencyResult Begun)> ClaimWithOutcomeAsync(DeliveryGate gate, string consumer, int leaseSeconds, string? owner,
        CancellationToken cancellationToken)
    {
        var begun = await BeginIdempotency(consumer, gate.MessageId!, leaseSeconds, owner, cancellationToken).ConfigureAwait(false);
        if (begun.State == ClaimState.Invalid)
        {
            return (gate with { Consumer = consumer, Claim = ClaimState.Invalid, Errors = begun.Errors }, begun);
        }
        return (gate with
        {
            Consumer = consumer, Claim = begun.State, ClaimConsumer = consumer, ClaimKey = gate.MessageId, ClaimToken = begun.ClaimToken,
            LeaseExpiresUtc = begun.LeaseExpiresUtc, EarlierResult = begun.Result,
        }, begun);
    }

    private async Task<T> ReleasingOnFault<T>(DeliveryGate gate, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception) when (gate.ClaimToken is not null)
        {
            await ReleaseIdempotency(gate.ClaimConsumer!, gate.ClaimKey!, gate.ClaimToken, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the lake file at <paramref name="path"/> holds <paramref name="orderEvent"/>, whatever its audit.</summary>
    private async Task<bool> SameEventAsync(string container, string path, JObject orderEvent, CancellationToken cancellationToken)
    {
        var stored = await services.Store.ReadAsync(container, path, cancellationToken).ConfigureAwait(false);
        if (stored is null) return false;
        try
        {
            var existing = JsonConvert.DeserializeObject<JToken>(Encoding.UTF8.GetString(stored.Content.Span), new JsonSerializerSettings { DateParseHandling = DateParseHandling.None }) as JObject;
            if (existing is null) return false;
            existing.Remove(LakeAudit);
            var written = (JObject)orderEvent.DeepClone();
            written.Remove(LakeAudit);
            return JToken.DeepEquals(existing, written);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (bool Committed, bool Failed, IReadOnlyList<SapReturnMessage> Messages) ReadAutoCommit(JToken? callResult)
    {
        var commit = (callResult as JObject)?["autoCommitResponse"];
        switch (commit)
        {
            case null:
            case JValue { Type: JTokenType.Null }:
            case JValue { Type: JTokenType.String } when string.IsNullOrWhiteSpace((string?)commit):
                return (false, false, []);
            case JValue { Type: JTokenType.String }:
                var read = SapBapiResponseReader.Read(commit);
                return (read.Succeeded, !read.Succeeded, read.Messages);
            case JObject row:
                var message = new SapReturnMessage((string?)row["type"] ?? "", (string?)row["id"] ?? "", (string?)row["number"] ?? "", (string?)row["message"] ?? "");
                var failed = message.Type is "E" or "A";
                return (!failed, failed, message.Type.Length == 0 && message.Message.Length == 0 ? [] : [message]);
            default:
                return (false, true, []);
        }
    }
}
