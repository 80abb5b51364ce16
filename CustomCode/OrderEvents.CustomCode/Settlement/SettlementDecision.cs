namespace OrderEvents.CustomCode.Settlement;

/// <summary>How a subscriber settles its peek-locked message.</summary>
public static class SettlementActions
{
    public const string Complete = "complete", Abandon = "abandon", Defer = "defer", DeadLetter = "deadLetter";
}

/// <summary>Outcomes a subscriber reports for its processing (fixed names, TEAM-RULES).</summary>
public static class ProcessingOutcomes
{
    public const string Succeeded = "Succeeded", AlreadyCompleted = "AlreadyCompleted", Skipped = "Skipped", Superseded = "Superseded",
        InvalidMessage = "InvalidMessage", DownstreamRejected = "DownstreamRejected",
        TransientFailure = "TransientFailure", InProgressElsewhere = "InProgressElsewhere";

    public static readonly IReadOnlyList<string> All = new[]
    {
        Succeeded, AlreadyCompleted, Skipped, Superseded, InvalidMessage, DownstreamRejected, TransientFailure, InProgressElsewhere,
    };
}

/// <summary>Dead-letter reason codes this project sets (short, stable, searchable).</summary>
public static class DeadLetterReasons
{
    public const string InvalidMessage = "InvalidMessage";
    public const string DownstreamRejected = "DownstreamRejected";
    public const string TransientFailureExhausted = "TransientFailureExhausted";
    public const string InProgressElsewhereExhausted = "InProgressElsewhereExhausted";
    public const string UnknownOutcome = "UnknownOutcome";
}

/// <summary>The settlement to perform; dead-letter fields are null unless <see cref="Action"/> is deadLetter.</summary>
public sealed record SettlementDecision
{
    /// <summary><c>complete</c>, <c>abandon</c>, <c>defer</c> or <c>deadLetter</c>.</summary>
    public string Action { get; init; } = SettlementActions.Abandon;
    public string? DeadLetterReason { get; init; }
    public string? DeadLetterErrorDescription { get; init; }
    /// <summary>One sentence for the run history: why this action.</summary>
    public string Explanation { get; init; } = "";
    /// <summary>Inputs that were not as expected (the decision then errs on the side of keeping the message).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
}
