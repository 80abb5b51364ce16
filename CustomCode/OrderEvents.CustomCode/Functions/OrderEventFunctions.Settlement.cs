using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Settlement;

namespace OrderEvents.CustomCode.Functions;

/// <summary>What <c>DecideSettlement</c> did with the delivery's idempotency claim.</summary>
/// <param name="Closing"><c>Completed</c> (the work took effect or there was nothing to do: a redelivery finds it done),
/// <c>Released</c> (the work did not happen: a redelivery may try again at once), <c>OutcomeUnknown</c> (the work was
/// tried and may have taken effect: the claim ends but stays, so the redelivery checks before repeating it) or
/// <c>None</c> (no claim of this run).</param>
/// <param name="Recorded">False when the store refused or failed; the lease then runs out on its own.</param>
public sealed record ClaimClosing(string Closing, bool Recorded, string Message);

/// <summary>The settlement decision, and what became of the claim.</summary>
public sealed record DecidedSettlement(
    string Action,
    string? DeadLetterReason,
    string? DeadLetterErrorDescription,
    string Explanation,
    IReadOnlyList<string> Warnings,
    ClaimClosing Claim);

public sealed partial class OrderEventFunctions
{
    /// <summary>
    /// complete / abandon / defer / deadLetter for a subscriber's message, from its processing outcome
    /// (<see cref="SettlementPolicy"/>); and, when the run holds the idempotency claim (<paramref name="claimToken"/>),
    /// closes it by the same outcome: completed with <paramref name="result"/> for Succeeded and Skipped, released for
    /// everything else, except when the classifier says the side effect was tried and may have taken effect
    /// (<paramref name="outcomeUnknown"/> true): then the claim ends without being given back
    /// (<see cref="Idempotency.IdempotencyStore.ReleaseOutcomeUnknownAsync"/>), so the redelivery checks the downstream
    /// before repeating it. The claim follows the classification, never the other way round, so a bookkeeping fault
    /// cannot turn a side effect that happened into a retry: it is reported in <c>claim</c> and the decision stands.
    /// The counts are JSON because the built-in trigger may hand <c>deliveryCount</c> over as a string.
    /// </summary>
    [WorkflowFunction("DecideSettlement")]
    public async Task<DecidedSettlement> DecideSettlement(string? outcome, JToken? deliveryCount, JToken? maxDeliveryCount, JToken? detail = null,
        string? consumer = null, string? key = null, string? claimToken = null, JToken? result = null, JToken? outcomeUnknown = null,
        CancellationToken cancellationToken = default)
    {
        var decision = SettlementPolicy.Decide(outcome, deliveryCount, maxDeliveryCount, detail);
        var unknown = outcomeUnknown is JValue { Type: JTokenType.Boolean } flag && (bool)flag
                      || outcomeUnknown is JValue { Type: JTokenType.String } text && bool.TryParse((string?)text, out var parsed) && parsed;
        var claim = await CloseClaimAsync(outcome, consumer, key, claimToken, result, unknown, cancellationToken).ConfigureAwait(false);
        return new DecidedSettlement(decision.Action, decision.DeadLetterReason, decision.DeadLetterErrorDescription, decision.Explanation, decision.Warnings, claim);
    }

    private async Task<ClaimClosing> CloseClaimAsync(string? outcome, string? consumer, string? key, string? claimToken, JToken? result, bool outcomeUnknown,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(claimToken) || string.IsNullOrEmpty(consumer) || string.IsNullOrEmpty(key))
        {
            return new ClaimClosing("None", true, "This run holds no idempotency claim.");
        }
        var done = string.Equals(outcome, ProcessingOutcomes.Succeeded, StringComparison.OrdinalIgnoreCase)
                   || string.Equals(outcome, ProcessingOutcomes.Skipped, StringComparison.OrdinalIgnoreCase);
        try
        {
            if (done)
            {
                var completed = await CompleteIdempotency(consumer, key, claimToken, result, cancellationToken).ConfigureAwait(false);
                return new ClaimClosing("Completed", completed.Completed, completed.Message);
            }
            if (outcomeUnknown)
            {
                if (CreateIdempotencyStore(out var problem) is not { } store) return new ClaimClosing("OutcomeUnknown", false, problem!.Message);
                var kept = await store.ReleaseOutcomeUnknownAsync(consumer, key, claimToken, cancellationToken).ConfigureAwait(false);
                return new ClaimClosing("OutcomeUnknown", kept.State == Idempotency.ReleaseState.KeptOutcomeUnknown, kept.Message);
            }
            var released = await ReleaseIdempotency(consumer, key, claimToken, cancellationToken).ConfigureAwait(false);
            return new ClaimClosing("Released", released.Released, released.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ClaimClosing(done ? "Completed" : outcomeUnknown ? "OutcomeUnknown" : "Released", false, $"The idempotency store failed: {ex.Message}. The claim's lease runs out on its own.");
        }
    }
}
