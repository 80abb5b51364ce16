using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Idempotency;

public enum ClaimState
{
    /// <summary>This run holds the claim and must run the side effect, then complete or release.</summary>
    Started,
    /// <summary>A run already completed this key: do not run the side effect again; its result is returned.</summary>
    AlreadyCompleted,
    /// <summary>Another run holds a live claim: do not run the side effect now (retry after the lease).</summary>
    InProgressElsewhere,
    /// <summary>The consumer, key or lease was unusable (see the problems); nothing was claimed.</summary>
    Invalid,
}

/// <param name="TookOverExpiredClaim">This run took over a claim another run held and did not close: that run may have
/// done the side effect (it crashed, lost its lease, or ended with <see cref="IdempotencyStore.ReleaseOutcomeUnknownAsync"/>).</param>
/// <param name="PreviousOutcomeUnknown">The claim taken over was ended by <see cref="IdempotencyStore.ReleaseOutcomeUnknownAsync"/>:
/// its run tried the side effect and could not tell whether it took effect.</param>
/// <param name="ReenteredOwnClaim">The claim was already this owner's (a run resumed after its host died, running its
/// claiming action again): its earlier life may have done the side effect.</param>
/// <param name="EarlierAttemptStartedUtc">With <paramref name="TookOverExpiredClaim"/> or <paramref name="ReenteredOwnClaim"/>:
/// when the first attempt that did not close the claim began (the claim of a chain of takeovers that was taken first),
/// so the taker can ask the downstream what happened since; null otherwise.</param>
public sealed record BeginOutcome(ClaimState State, string? ClaimToken, JToken? Result, DateTimeOffset? LeaseExpiresUtc, bool TookOverExpiredClaim, IReadOnlyList<ContractError> Problems,
    bool PreviousOutcomeUnknown = false, bool ReenteredOwnClaim = false, DateTimeOffset? EarlierAttemptStartedUtc = null);

public enum CompleteState
{
    Completed,
    /// <summary>The same claim completed before (a repeated call): the first result stays.</summary>
    AlreadyCompleted,
    /// <summary>The token is no longer the claim's: the lease expired and another run took over, or finished.</summary>
    StaleClaim,
    /// <summary>No claim exists: it was released, or never begun.</summary>
    ClaimNotFound,
    Invalid,
}

public sealed record CompleteOutcome(CompleteState State, string Message, IReadOnlyList<ContractError> Problems);

public enum ReleaseState
{
    Released,
    /// <summary>The claim ended without being given back (<see cref="IdempotencyStore.ReleaseOutcomeUnknownAsync"/>): the
    /// record stays, marked outcome unknown, and the next begin takes it over at once.</summary>
    KeptOutcomeUnknown,
    /// <summary>The key is completed; a completed record is never given back.</summary>
    AlreadyCompleted,
    StaleClaim,
    ClaimNotFound,
    Invalid,
}

public sealed record ReleaseOutcome(ReleaseState State, string Message, IReadOnlyList<ContractError> Problems);

/// <summary>
/// Exactly-once side effects on top of at-least-once delivery: one record per (consumer, key) in an
/// <see cref="IObjectStore"/>, changed only by conditional writes.
/// <list type="bullet">
/// <item>begin creates the record if absent (one creator wins), or takes over a claim whose lease expired with
/// If-Match on the record's ETag (one taker wins); a live claim or a completed record is reported, never taken.</item>
/// <item>complete stores the result with If-Match, only for the current claim token; a stale token is reported.</item>
/// <item>release deletes the claim with If-Match, so a redelivery after a failed run can start at once.</item>
/// <item>release with the outcome unknown (the side effect was tried, and whether it took effect is unknown: a timeout, a
/// lost reply) keeps the record, its lease ended and marked <c>outcomeUnknown</c>, with one If-Match write: the next
/// begin takes it over at once and learns that it must check the downstream before repeating the side effect.</item>
/// </list>
/// The key is the event's business <c>messageId</c>, not the Service Bus message id: a resubmitted copy of a dead
/// letter may carry a new broker id but is the same business operation. Keys are per consumer, so the SAP and SMS
/// subscribers handling the same event never block each other.
/// <para>Two storage transactions per message on the happy path: begin is one conditional create, and the claim
/// token it returns carries the ETag of that create (<c>{claim id}~{ETag, base64url}</c>), so complete (or release)
/// is one If-Match write (or delete) without reading the record first. The token stays opaque to workflows; when
/// the write meets another version (a repeated call, a takeover) or the token has no ETag (issued by an earlier
/// version), the record is read and the outcome decided as before.</para>
/// </summary>
public sealed partial class IdempotencyStore
{
    public const int MaxKeyLength = 512;
    public const int MaxResultBytes = 64 * 1024;
    public static readonly TimeSpan MinLease = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxLease = TimeSpan.FromDays(1);

    private const int MaxAttempts = 8;
    private const string ContentType = "application/json";
    private static readonly JsonSerializerSettings RecordSettings = new() { DateParseHandling = DateParseHandling.None, NullValueHandling = NullValueHandling.Ignore };

    private readonly IObjectStore store;
    private readonly TimeProvider clock;
    private readonly string container;
    private readonly Func<string> newClaimToken;

    public IdempotencyStore(IObjectStore store, TimeProvider clock, string container, Func<string>? newClaimToken = null)
    {
        ObjectNames.ValidateContainer(container);
        this.store = store;
        this.clock = clock;
        this.container = container;
        this.newClaimToken = newClaimToken ?? (() => Guid.NewGuid().ToString("N"));
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ConsumerPattern();

    /// <summary>Where the record of a key lives: <c>{consumer}/{key}.json</c>, the key kept verbatim when it is a
    /// plain id and hashed otherwise (<see cref="ObjectNames.ToSafeSegment"/>).</summary>
    public static string RecordName(string consumer, string key) => $"{consumer}/{ObjectNames.ToSafeSegment(key)}.json";

    /// <param name="owner">Who claims (e.g. the workflow run's name), or null. A claim is re-entrant for its owner: the
    /// same owner beginning again while its claim is in progress gets that claim back (<c>Started</c>, same token, no
    /// write), as a run that Azure resumed after an outage does when it runs its claiming action again.</param>
    public async Task<BeginOutcome> BeginAsync(string consumer, string key, TimeSpan lease, CancellationToken cancellationToken = default, string? owner = null)
    {
        var problems = ValidateIdentity(consumer, key);
        if (lease < MinLease || lease > MaxLease)
        {
            problems.Add(new ContractError("leaseSeconds", "LeaseOutOfRange", $"The lease must be between {MinLease.TotalSeconds:0} and {MaxLease.TotalSeconds:0} seconds, not {lease.TotalSeconds:0.###}."));
        }
        if (problems.Count > 0)
        {
            return new BeginOutcome(ClaimState.Invalid, null, null, null, false, problems);
        }

        var name = RecordName(consumer, key);
        // Most keys are new: try the create first (one request) and read only when something is already there.
        var tryCreate = true;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = clock.GetUtcNow();
            var claimId = NewClaimId();
            var claim = new IdempotencyRecord
            {
                Consumer = consumer, Key = key, State = RecordState.InProgress, ClaimToken = claimId,
                ClaimedUtc = now, LeaseExpiresUtc = now + lease, Owner = string.IsNullOrEmpty(owner) ? null : owner,
            };
            if (tryCreate && await store.TryCreateAsync(container, name, Serialize(claim), ContentType, cancellationToken).ConfigureAwait(false) is { } createdETag)
            {
                return new BeginOutcome(ClaimState.Started, ClaimTokens.Compose(claimId, createdETag), null, claim.LeaseExpiresUtc, false, []);
            }
            var stored = await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                tryCreate = true; // released or deleted in between: create again
                continue;
            }

            var (record, problem) = Parse(stored, name, consumer, key);
            if (record is null)
            {
                return new BeginOutcome(ClaimState.Invalid, null, null, null, false, [problem!]);
            }
            if (record.State == RecordState.Completed)
            {
                return new BeginOutcome(ClaimState.AlreadyCompleted, null, record.Result, null, false, []);
            }
            if (claim.Owner is not null && record.Owner == claim.Owner && record.ClaimToken is { Length: > 0 } ownClaim)
            {
                return new BeginOutcome(ClaimState.Started, ClaimTokens.Compose(ownClaim, stored.ETag), null, record.LeaseExpiresUtc, false, [], record.OutcomeUnknown == true,
                    ReenteredOwnClaim: true, EarlierAttemptStartedUtc: record.FirstClaimedUtc ?? record.ClaimedUtc);
            }
            if (record.LeaseExpiresUtc is { } leaseEnd && leaseEnd > now)
            {
                return new BeginOutcome(ClaimState.InProgressElsewhere, null, null, record.LeaseExpiresUtc, false, []);
            }
            // The taker inherits the mark: if it too ends without knowing, the next one still checks first. It keeps when
            // the first unclosed attempt began, so after a chain of takeovers the next taker still looks back far enough.
            var earlier = record.FirstClaimedUtc ?? record.ClaimedUtc;
            var takeover = claim with { Takeovers = record.Takeovers + 1, OutcomeUnknown = record.OutcomeUnknown, FirstClaimedUtc = earlier };
            if (await store.TryReplaceAsync(container, name, Serialize(takeover), ContentType, stored.ETag, cancellationToken).ConfigureAwait(false) is { } takenETag)
            {
                return new BeginOutcome(ClaimState.Started, ClaimTokens.Compose(claimId, takenETag), null, takeover.LeaseExpiresUtc, true, [], record.OutcomeUnknown == true,
                    EarlierAttemptStartedUtc: earlier);
            }
            // another run changed the record first (took it over, completed or released it): look again
            tryCreate = false;
        }
        // Only reachable under pathological contention; the caller retries later like for a live claim.
        return new BeginOutcome(ClaimState.InProgressElsewhere, null, null, clock.GetUtcNow(), false, []);
    }

    public async Task<CompleteOutcome> CompleteAsync(string consumer, string key, string claimToken, JToken? result, CancellationToken cancellationToken = default)
    {
        var problems = ValidateIdentity(consumer, key);
        ValidateToken(claimToken, problems);
        var (claimId, claimETag) = ClaimTokens.Parse(claimToken ?? "");
        // The record is only written, never kept: it holds the caller's result as it is (no copy), and the result's JSON
        // is written once, into the record, and measured there (not turned into text a second time for the size check).
        var completed = new IdempotencyRecord
        {
            Consumer = consumer, Key = key, State = RecordState.Completed, ClaimToken = claimId,
            CompletedUtc = clock.GetUtcNow(), Result = result,
        };
        var content = Serialize(completed, out var resultBytes);
        if (resultBytes > MaxResultBytes)
        {
            problems.Add(new ContractError("result", "ResultTooLarge", $"The result is {resultBytes} bytes of JSON; at most {MaxResultBytes} are kept. Store large results elsewhere and keep a reference."));
        }
        if (problems.Count > 0)
        {
            return new CompleteOutcome(CompleteState.Invalid, "Nothing was completed: the input is invalid.", problems);
        }

        var name = RecordName(consumer, key);
        // The record is unchanged since the claim: one If-Match write completes it.
        if (claimETag is not null
            && await store.TryReplaceAsync(container, name, content, ContentType, claimETag, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new CompleteOutcome(CompleteState.Completed, $"'{key}' is completed for '{consumer}'.", []);
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new CompleteOutcome(CompleteState.ClaimNotFound, $"There is no claim on '{key}' for '{consumer}': it was released, or never begun.", []);
            }
            var (record, problem) = Parse(stored, name, consumer, key);
            if (record is null)
            {
                return new CompleteOutcome(CompleteState.Invalid, problem!.Message, [problem]);
            }
            if (record.State == RecordState.Completed)
            {
                return record.ClaimToken == claimId
                    ? new CompleteOutcome(CompleteState.AlreadyCompleted, $"This claim on '{key}' was already completed at {record.CompletedUtc:O}; the first result is kept.", [])
                    : new CompleteOutcome(CompleteState.StaleClaim, $"Another run completed '{key}' for '{consumer}' at {record.CompletedUtc:O}; this claim had expired and was taken over.", []);
            }
            if (record.ClaimToken != claimId)
            {
                return new CompleteOutcome(CompleteState.StaleClaim, $"The claim on '{key}' for '{consumer}' is no longer this run's: its lease expired and another run took over at {record.ClaimedUtc:O}.", []);
            }
            if (await store.TryReplaceAsync(container, name, content, ContentType, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return new CompleteOutcome(CompleteState.Completed, $"'{key}' is completed for '{consumer}'.", []);
            }
        }
        return new CompleteOutcome(CompleteState.StaleClaim, $"The claim on '{key}' for '{consumer}' kept changing while completing it; it is no longer this run's.", []);
    }

    public async Task<ReleaseOutcome> ReleaseAsync(string consumer, string key, string claimToken, CancellationToken cancellationToken = default)
    {
        var problems = ValidateIdentity(consumer, key);
        ValidateToken(claimToken, problems);
        if (problems.Count > 0)
        {
            return new ReleaseOutcome(ReleaseState.Invalid, "Nothing was released: the input is invalid.", problems);
        }

        var name = RecordName(consumer, key);
        var (claimId, claimETag) = ClaimTokens.Parse(claimToken);
        // The record is unchanged since the claim: one If-Match delete gives it back.
        if (claimETag is not null && await store.TryDeleteAsync(container, name, claimETag, cancellationToken).ConfigureAwait(false))
        {
            return Released(consumer, key);
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new ReleaseOutcome(ReleaseState.ClaimNotFound, $"There is no claim on '{key}' for '{consumer}' to release.", []);
            }
            var (record, problem) = Parse(stored, name, consumer, key);
            if (record is null)
            {
                return new ReleaseOutcome(ReleaseState.Invalid, problem!.Message, [problem]);
            }
            if (record.State == RecordState.Completed)
            {
                return new ReleaseOutcome(ReleaseState.AlreadyCompleted, $"'{key}' is completed for '{consumer}'; a completed record is never released.", []);
            }
            if (record.ClaimToken != claimId)
            {
                return new ReleaseOutcome(ReleaseState.StaleClaim, $"The claim on '{key}' for '{consumer}' is no longer this run's: another run took it over.", []);
            }
            if (await store.TryDeleteAsync(container, name, stored.ETag, cancellationToken).ConfigureAwait(false))
            {
                return Released(consumer, key);
            }
        }
        return new ReleaseOutcome(ReleaseState.StaleClaim, $"The claim on '{key}' for '{consumer}' kept changing while releasing it; it is no longer this run's.", []);
    }

    /// <summary>
    /// Ends this run's claim WITHOUT giving it back, because the side effect was tried and whether it took effect is
    /// unknown (a timeout, a lost reply, a refusal that says "this exists already"). The record stays
    /// <c>InProgress</c>, its lease ended now and marked <c>outcomeUnknown</c>: the next begin takes it over at once
    /// (<see cref="BeginOutcome.TookOverExpiredClaim"/> and <see cref="BeginOutcome.PreviousOutcomeUnknown"/>) and must
    /// ask the downstream before repeating the side effect. One If-Match write, like a release; a completed or
    /// taken-over record is left alone and reported as for a release.
    /// </summary>
    public async Task<ReleaseOutcome> ReleaseOutcomeUnknownAsync(string consumer, string key, string claimToken, CancellationToken cancellationToken = default)
    {
        var problems = ValidateIdentity(consumer, key);
        ValidateToken(claimToken, problems);
        if (problems.Count > 0)
        {
            return new ReleaseOutcome(ReleaseState.Invalid, "Nothing was changed: the input is invalid.", problems);
        }

        var name = RecordName(consumer, key);
        var (claimId, claimETag) = ClaimTokens.Parse(claimToken);
        var now = clock.GetUtcNow();
        IdempotencyRecord Ended(IdempotencyRecord? before) => new()
        {
            Consumer = consumer, Key = key, State = RecordState.InProgress, ClaimToken = claimId,
            ClaimedUtc = before?.ClaimedUtc, FirstClaimedUtc = before?.FirstClaimedUtc, LeaseExpiresUtc = now, Takeovers = before?.Takeovers ?? 0, OutcomeUnknown = true,
        };
        if (claimETag is not null
            && await store.TryReplaceAsync(container, name, Serialize(Ended(null)), ContentType, claimETag, cancellationToken).ConfigureAwait(false) is not null)
        {
            return KeptOutcomeUnknown(consumer, key);
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new ReleaseOutcome(ReleaseState.ClaimNotFound, $"There is no claim on '{key}' for '{consumer}' to end.", []);
            }
            var (record, problem) = Parse(stored, name, consumer, key);
            if (record is null)
            {
                return new ReleaseOutcome(ReleaseState.Invalid, problem!.Message, [problem]);
            }
            if (record.State == RecordState.Completed)
            {
                return new ReleaseOutcome(ReleaseState.AlreadyCompleted, $"'{key}' is completed for '{consumer}'; a completed record stays as it is.", []);
            }
            if (record.ClaimToken != claimId)
            {
                return new ReleaseOutcome(ReleaseState.StaleClaim, $"The claim on '{key}' for '{consumer}' is no longer this run's: another run took it over.", []);
            }
            if (await store.TryReplaceAsync(container, name, Serialize(Ended(record)), ContentType, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return KeptOutcomeUnknown(consumer, key);
            }
        }
        return new ReleaseOutcome(ReleaseState.StaleClaim, $"The claim on '{key}' for '{consumer}' kept changing while ending it; it is no longer this run's.", []);
    }

    private static ReleaseOutcome KeptOutcomeUnknown(string consumer, string key) =>
        new(ReleaseState.KeptOutcomeUnknown, $"The claim on '{key}' for '{consumer}' ended with its outcome unknown; the next delivery takes it over at once and checks before repeating the side effect.", []);

    private static ReleaseOutcome Released(string consumer, string key) =>
        new(ReleaseState.Released, $"The claim on '{key}' for '{consumer}' was given back; a redelivery can start at once.", []);

    private string NewClaimId()
    {
        var id = newClaimToken();
        if (string.IsNullOrEmpty(id) || id.Contains(ClaimTokens.Separator))
        {
            throw new InvalidOperationException($"A claim id must be non-empty and free of '{ClaimTokens.Separator}'.");
        }
        return id;
    }

    private static List<ContractError> ValidateIdentity(string? consumer, string? key)
    {
        var problems = new List<ContractError>();
        if (string.IsNullOrEmpty(consumer) || !ConsumerPattern().IsMatch(consumer))
        {
            problems.Add(new ContractError("consumer", "InvalidConsumer", $"The consumer '{consumer}' is invalid: use the subscriber id (1-63 lowercase letters, digits and inner hyphens, e.g. 'sap-fulfillment')."));
        }
        if (string.IsNullOrEmpty(key))
        {
            problems.Add(new ContractError("key", "MissingKey", "The idempotency key is empty: pass the event's business messageId."));
        }
        else if (key.Length > MaxKeyLength)
        {
            problems.Add(new ContractError("key", "KeyTooLong", $"The idempotency key is {key.Length} characters long; at most {MaxKeyLength} are allowed."));
        }
        else if (key.Any(char.IsControl))
        {
            problems.Add(new ContractError("key", "InvalidKey", "The idempotency key contains control characters."));
        }
        return problems;
    }

    private static void ValidateToken(string? claimToken, List<ContractError> problems)
    {
        if (string.IsNullOrWhiteSpace(claimToken))
        {
            problems.Add(new ContractError("claimToken", "MissingClaimToken", "The claim token is empty: pass the claimToken that BeginIdempotency returned."));
        }
    }

    /// <summary>The record's JSON: what <c>JsonConvert.SerializeObject(record, RecordSettings)</c> writes (the same bytes,
    /// nulls left out), written property by property instead of by the reflection-based serializer, which was most of the
    /// cost of a claim and a completion (IdempotencyStore_Specs compares the two).</summary>
    internal static ReadOnlyMemory<byte> Serialize(IdempotencyRecord record) => Serialize(record, out _);

    /// <param name="resultBytes">How many UTF-8 bytes the result's JSON takes in the record (0 without a result): what
    /// <c>result.ToString(Formatting.None)</c> would take, measured where it is written.</param>
    private static ReadOnlyMemory<byte> Serialize(IdempotencyRecord record, out int resultBytes)
    {
        resultBytes = 0;
        var text = Utf8Text.Rent();
        using (var writer = new JsonTextWriter(text))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("consumer");
            writer.WriteValue(record.Consumer);
            writer.WritePropertyName("key");
            writer.WriteValue(record.Key);
            writer.WritePropertyName("state");
            writer.WriteValue(record.State.ToString());
            Optional(writer, "claimToken", record.ClaimToken);
            Optional(writer, "claimedUtc", record.ClaimedUtc);
            Optional(writer, "firstClaimedUtc", record.FirstClaimedUtc);
            Optional(writer, "leaseExpiresUtc", record.LeaseExpiresUtc);
            Optional(writer, "completedUtc", record.CompletedUtc);
            writer.WritePropertyName("takeovers");
            writer.WriteValue(record.Takeovers);
            if (record.OutcomeUnknown is { } unknown)
            {
                writer.WritePropertyName("outcomeUnknown");
                writer.WriteValue(unknown);
            }
            Optional(writer, "owner", record.Owner);
            if (record.Result is { } result)
            {
                writer.WritePropertyName("result");
                writer.Flush();
                var start = text.GetStringBuilder().Length;
                result.WriteTo(writer);
                writer.Flush();
                var written = text.GetStringBuilder();
                resultBytes = Utf8Length(written, start, written.Length - start);
            }
            writer.WriteEndObject();
        }
        return Utf8Text.ToUtf8(text);
    }

    private static int Utf8Length(System.Text.StringBuilder text, int start, int length)
    {
        // One encoder across the chunks, so a surrogate pair split between two chunks counts as the 4 bytes it is.
        var encoder = Encoding.UTF8.GetEncoder();
        var bytes = 0;
        foreach (var chunk in text.GetChunks())
        {
            var span = chunk.Span;
            if (start >= span.Length)
            {
                start -= span.Length;
                continue;
            }
            var take = Math.Min(length, span.Length - start);
            length -= take;
            bytes += encoder.GetByteCount(span.Slice(start, take), flush: length == 0);
            start = 0;
            if (length == 0) break;
        }
        return bytes;
    }

    private static void Optional(JsonTextWriter writer, string name, string? value)
    {
        if (value is null) return;
        writer.WritePropertyName(name);
        writer.WriteValue(value);
    }

    private static void Optional(JsonTextWriter writer, string name, DateTimeOffset? value)
    {
        if (value is not { } instant) return;
        writer.WritePropertyName(name);
        writer.WriteValue(instant);
    }

    /// <summary>What the reflection-based serializer writes for a record (the specs hold <see cref="Serialize"/> to it).</summary>
    internal static string SerializeByReflection(IdempotencyRecord record) => JsonConvert.SerializeObject(record, RecordSettings);

    private (IdempotencyRecord? Record, ContractError? Problem) Parse(StoredObject stored, string name, string consumer, string key)
    {
        IdempotencyRecord? record = null;
        try
        {
            record = JsonConvert.DeserializeObject<IdempotencyRecord>(Encoding.UTF8.GetString(stored.Content.Span), RecordSettings);
        }
        catch (JsonException)
        {
            // reported below
        }
        if (record is null || record.ClaimToken is null)
        {
            return (null, new ContractError("key", "CorruptRecord", $"The idempotency record '{container}/{name}' is not a valid record; inspect or delete it by hand. Nothing was changed."));
        }
        if (record.Consumer != consumer || record.Key != key)
        {
            return (null, new ContractError("key", "RecordNameCollision", $"The idempotency record '{container}/{name}' belongs to another key ('{record.Key}'); nothing was changed."));
        }
        return (record, null);
    }

    internal enum RecordState
    {
        InProgress,
        Completed,
    }

    /// <summary>What is stored per key. Dates are ISO 8601 UTC; <c>takeovers</c> counts expired claims taken over.
    /// A completed record keeps consumer, key, claim id, <c>completedUtc</c> and the result (complete writes it
    /// without reading the claim, so the claim's dates and takeovers are not carried over).</summary>
    internal sealed record IdempotencyRecord
    {
        [JsonProperty("consumer")] public string Consumer { get; init; } = "";
        [JsonProperty("key")] public string Key { get; init; } = "";
        [JsonProperty("state"), JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))] public RecordState State { get; init; }
        [JsonProperty("claimToken")] public string? ClaimToken { get; init; }
        [JsonProperty("claimedUtc")] public DateTimeOffset? ClaimedUtc { get; init; }
        /// <summary>Set by a takeover only: when the first claim that was never closed began (null otherwise, so a first
        /// claim keeps its shape and its size).</summary>
        [JsonProperty("firstClaimedUtc")] public DateTimeOffset? FirstClaimedUtc { get; init; }
        [JsonProperty("leaseExpiresUtc")] public DateTimeOffset? LeaseExpiresUtc { get; init; }
        [JsonProperty("completedUtc")] public DateTimeOffset? CompletedUtc { get; init; }
        [JsonProperty("takeovers")] public int Takeovers { get; init; }
        /// <summary>True once a run ended its claim not knowing whether its side effect took effect (null otherwise, so
        /// records without it keep their shape).</summary>
        [JsonProperty("outcomeUnknown")] public bool? OutcomeUnknown { get; init; }
        /// <summary>Who holds the claim (a workflow run's name), when the claimer said so (null otherwise).</summary>
        [JsonProperty("owner")] public string? Owner { get; init; }
        [JsonProperty("result")] public JToken? Result { get; init; }
    }
}

/// <summary>The token a claim is handed out as: <c>{claim id}~{ETag of the claim's version, base64url}</c>. The claim id
/// is what the record stores; the ETag lets complete and release write without reading. A token without
/// <see cref="Separator"/> (issued before ETags were carried) is a bare claim id.</summary>
internal static class ClaimTokens
{
    public const char Separator = '~';

    public static string Compose(string claimId, string etag) =>
        claimId + Separator + Convert.ToBase64String(Encoding.UTF8.GetBytes(etag)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (string ClaimId, string? ETag) Parse(string token)
    {
        var at = token.LastIndexOf(Separator);
        if (at < 0)
        {
            return (token, null);
        }
        var encoded = token[(at + 1)..].Replace('-', '+').Replace('_', '/');
        encoded = encoded.PadRight(encoded.Length + (4 - encoded.Length % 4) % 4, '=');
        try
        {
            return (token[..at], Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        }
        catch (FormatException)
        {
            return (token[..at], null); // a damaged ETag part: decide by reading the record
        }
    }
}
