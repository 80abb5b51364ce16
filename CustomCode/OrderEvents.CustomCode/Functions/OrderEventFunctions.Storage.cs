using System.Globalization;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Lake;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Functions;

/// <summary>Result of <c>BeginIdempotency</c>: run the side effect only when <see cref="State"/> is <c>Started</c>.</summary>
public sealed record BeginIdempotencyResult(ClaimState State, string? ClaimToken, JToken? Result, string? LeaseExpiresUtc, bool TookOverExpiredClaim, IReadOnlyList<ContractError> Errors)
{
    /// <summary>The claim was already this owner's (a run resumed after an outage, running its claiming action again): its
    /// earlier life may have gone further than its last checkpoint.</summary>
    public bool ReenteredOwnClaim { get; init; }

    /// <summary>With <see cref="TookOverExpiredClaim"/> or <see cref="ReenteredOwnClaim"/>: when the first attempt that never
    /// closed the claim began (ISO 8601 UTC), or null when the record does not say.</summary>
    public string? EarlierAttemptStartedUtc { get; init; }
}

/// <summary>Result of <c>CompleteIdempotency</c>; <see cref="Completed"/> is true for <c>Completed</c> and a repeated <c>AlreadyCompleted</c>.</summary>
public sealed record CompleteIdempotencyResult(CompleteState State, bool Completed, string Message, IReadOnlyList<ContractError> Errors);

public sealed record ReleaseIdempotencyResult(ReleaseState State, bool Released, string Message, IReadOnlyList<ContractError> Errors);

/// <summary>Result of the lake writes: <see cref="Created"/> false with <see cref="Conflict"/> false is a
/// redelivery already stored; <see cref="Conflict"/> true means different content held the path and was kept.</summary>
public sealed record LakeWriteResult(bool IsValid, string Container, string? Path, bool Created, bool Conflict, IReadOnlyList<ContractError> Errors);

public sealed partial class OrderEventFunctions
{
    /// <summary>Claims <paramref name="key"/> (the event's business messageId) for <paramref name="consumer"/> (the
    /// subscriber id) for <paramref name="leaseSeconds"/>.</summary>
    [WorkflowFunction("BeginIdempotency")]
    /// <param name="owner">The claiming run (<c>workflow()?['run']?['name']</c>), optional: the claim is then re-entrant for
    /// that run, so a run resumed after an outage that runs this action again gets its own claim back instead of
    /// <c>InProgressElsewhere</c>.</param>
    public async Task<BeginIdempotencyResult> BeginIdempotency(string consumer, string key, int leaseSeconds = 300, string? owner = null, CancellationToken cancellationToken = default)
    {
        if (CreateIdempotencyStore(out var problem) is not { } store)
        {
            return new BeginIdempotencyResult(ClaimState.Invalid, null, null, null, false, [problem!]);
        }
        var outcome = await store.BeginAsync(consumer, key, TimeSpan.FromSeconds(leaseSeconds), cancellationToken, owner).ConfigureAwait(false);
        return new BeginIdempotencyResult(outcome.State, outcome.ClaimToken, outcome.Result, FormatUtc(outcome.LeaseExpiresUtc), outcome.TookOverExpiredClaim, outcome.Problems)
        {
            ReenteredOwnClaim = outcome.ReenteredOwnClaim,
            EarlierAttemptStartedUtc = FormatUtc(outcome.EarlierAttemptStartedUtc),
        };
    }

    /// <summary>Records <paramref name="result"/> (any JSON, e.g. the SAP document number) as the outcome of the claim.</summary>
    [WorkflowFunction("CompleteIdempotency")]
    public async Task<CompleteIdempotencyResult> CompleteIdempotency(string consumer, string key, string claimToken, JToken? result = null, CancellationToken cancellationToken = default)
    {
        if (CreateIdempotencyStore(out var problem) is not { } store)
        {
            return new CompleteIdempotencyResult(CompleteState.Invalid, false, problem!.Message, [problem]);
        }
        var outcome = await store.CompleteAsync(consumer, key, claimToken, result, cancellationToken).ConfigureAwait(false);
        return new CompleteIdempotencyResult(outcome.State, outcome.State is CompleteState.Completed or CompleteState.AlreadyCompleted, outcome.Message, outcome.Problems);
    }

    /// <summary>Gives the claim back after a failed run, so the redelivery can start at once.</summary>
    [WorkflowFunction("ReleaseIdempotency")]
    public async Task<ReleaseIdempotencyResult> ReleaseIdempotency(string consumer, string key, string claimToken, CancellationToken cancellationToken = default)
    {
        if (CreateIdempotencyStore(out var problem) is not { } store)
        {
            return new ReleaseIdempotencyResult(ReleaseState.Invalid, false, problem!.Message, [problem]);
        }
        var outcome = await store.ReleaseAsync(consumer, key, claimToken, cancellationToken).ConfigureAwait(false);
        return new ReleaseIdempotencyResult(outcome.State, outcome.State == ReleaseState.Released, outcome.Message, outcome.Problems);
    }

    /// <summary>Stores the order event in the lake's partition of its occurredUtc hour (create-if-absent).</summary>
    [WorkflowFunction("WriteOrderToLake")]
    public async Task<LakeWriteResult> WriteOrderToLake(JToken orderEvent, CancellationToken cancellationToken = default)
    {
        if (CreateLake(out var problem) is not { } lake)
        {
            return new LakeWriteResult(false, services.Options.LakeContainer, null, false, false, [problem!]);
        }
        return ToResult(await lake.WriteOrderAsync(orderEvent, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Archives a dead letter (the built-in Service Bus trigger's message object) under the subscriber's area.</summary>
    [WorkflowFunction("ArchiveDeadLetter")]
    public async Task<LakeWriteResult> ArchiveDeadLetter(string subscriber, JToken deadLetter, CancellationToken cancellationToken = default)
    {
        if (CreateLake(out var problem) is not { } lake)
        {
            return new LakeWriteResult(false, services.Options.LakeContainer, null, false, false, [problem!]);
        }
        return ToResult(await lake.ArchiveDeadLetterAsync(subscriber, deadLetter, cancellationToken).ConfigureAwait(false));
    }

    private IdempotencyStore? CreateIdempotencyStore(out ContractError? problem) =>
        Configured("Idempotency_Container", services.Options.IdempotencyContainer, c => new IdempotencyStore(services.Store, services.Clock, c), out problem);

    private OrderLake? CreateLake(out ContractError? problem) =>
        Configured("Lake_Container", services.Options.LakeContainer, c => new OrderLake(services.Store, services.Clock, c), out problem);

    /// <summary>A misconfigured container is reported like bad input, naming the app setting to fix.</summary>
    private static T? Configured<T>(string setting, string container, Func<string, T> create, out ContractError? problem) where T : class
    {
        try
        {
            problem = null;
            return create(container);
        }
        catch (InvalidObjectNameException ex)
        {
            problem = new ContractError(setting, "InvalidContainerSetting", $"The app setting {setting}: {ex.Message}");
            return null;
        }
    }

    private static LakeWriteResult ToResult(LakeWriteOutcome outcome) =>
        new(outcome.IsValid, outcome.Container, outcome.Path, outcome.Created, outcome.Conflict, outcome.Problems);

    private static string? FormatUtc(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
