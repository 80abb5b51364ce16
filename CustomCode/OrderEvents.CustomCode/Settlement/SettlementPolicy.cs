using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Mapping;

namespace OrderEvents.CustomCode.Settlement;

/// <summary>
/// Decides how a subscriber settles its message from the processing outcome and the delivery count.
/// Success-like outcomes complete; bad data and downstream rejections dead-letter at once (retrying cannot
/// help); transient failures abandon until the last allowed delivery and then dead-letter with a reason of
/// our own. Never throws: malformed inputs lead to the choice that keeps the message.
/// </summary>
public static class SettlementPolicy
{
    /// <summary>Kept well below the 4096 characters the Service Bus SDKs accept for reason and description.</summary>
    public const int MaxDescriptionLength = 1024;
    public const int MaxReasonLength = 128;

    public static SettlementDecision Decide(string? outcome, JToken? deliveryCount, JToken? maxDeliveryCount, JToken? detail = null)
    {
        var warnings = new List<string>();
        var delivery = ReadCount(deliveryCount, "deliveryCount", warnings);
        var max = ReadCount(maxDeliveryCount, "maxDeliveryCount", warnings);
        // The detail is read only where a dead letter's description is written (Describe): cleaning it (regular
        // expressions over the text, an object written as JSON first) cost more than the rest of the decision, and most
        // messages complete.
        var normalized = Normalize(outcome);

        switch (normalized)
        {
            case ProcessingOutcomes.Succeeded:
            case ProcessingOutcomes.AlreadyCompleted:
            case ProcessingOutcomes.Skipped:
            case ProcessingOutcomes.Superseded:
                return new SettlementDecision
                {
                    Action = SettlementActions.Complete,
                    Explanation = normalized switch
                    {
                        ProcessingOutcomes.Succeeded => "Processed: complete the message.",
                        ProcessingOutcomes.AlreadyCompleted => "Processed earlier (duplicate delivery): complete without doing it again.",
                        ProcessingOutcomes.Superseded => "Superseded by a later event of the order already applied (published out of business order): complete without applying it.",
                        _ => "Nothing to do for this subscriber: complete the message.",
                    },
                    Warnings = warnings,
                };

            case ProcessingOutcomes.InvalidMessage:
                return DeadLetter(DeadLetterReasons.InvalidMessage, Describe(detail) ?? "The message does not satisfy the order event contract.",
                    "The message is invalid; redelivery cannot fix it.", warnings);

            case ProcessingOutcomes.DownstreamRejected:
                return DeadLetter(DeadLetterReasons.DownstreamRejected, Describe(detail) ?? "The downstream system rejected the request.",
                    "The downstream system rejected the request for good; redelivery would be rejected again.", warnings);

            case ProcessingOutcomes.TransientFailure:
                if (delivery is null || max is null)
                {
                    return Abandon("Transient failure with an unknown delivery count: abandon and let the broker's MaxDeliveryCount bound the retries.", warnings);
                }
                if (delivery.Value < max.Value)
                {
                    return Abandon($"Transient failure on delivery {delivery} of {max}: abandon so the broker redelivers.", warnings);
                }
                return DeadLetter(DeadLetterReasons.TransientFailureExhausted,
                    $"Still failing after {delivery} deliveries (max {max}). Last error: {Describe(detail) ?? "(none given)"}",
                    $"Transient failure on the last allowed delivery ({delivery} of {max}): dead-letter with the last error instead of letting the broker do it without one.", warnings);

            case ProcessingOutcomes.InProgressElsewhere:
                if (delivery is not null && max is not null && delivery.Value >= max.Value)
                {
                    return DeadLetter(DeadLetterReasons.InProgressElsewhereExhausted,
                        $"Another run held this order's idempotency lease on every one of {delivery} deliveries (max {max}). {Describe(detail) ?? ""}".TrimEnd(),
                        "Another run still holds the lease on the last allowed delivery: dead-letter so an operator checks that run and resubmits if needed.", warnings);
                }
                return Abandon("Another run is processing this business message: abandon so it comes back after that run has settled (completing could lose it if that run fails).", warnings);

            default:
                warnings.Add($"Unknown outcome '{SafeText.Truncate(SafeText.StripControlCharacters(outcome), 64)}'; expected one of {string.Join(", ", ProcessingOutcomes.All)}.");
                return DeadLetter(DeadLetterReasons.UnknownOutcome,
                    $"The workflow reported the unknown outcome '{SafeText.Truncate(SafeText.StripControlCharacters(outcome), 64)}'. {Describe(detail) ?? ""}".TrimEnd(),
                    "Unknown outcome (a workflow defect): dead-letter to keep the message and alert, rather than retry a defect.", warnings);
        }
    }

    private static string? Normalize(string? outcome)
    {
        if (outcome is null) return null;
        var trimmed = outcome.Trim();
        foreach (var known in ProcessingOutcomes.All)
            if (string.Equals(known, trimmed, StringComparison.OrdinalIgnoreCase)) return known;
        return trimmed;
    }

    private static int? ReadCount(JToken? token, string name, List<string> warnings)
    {
        int? value = null;
        try
        {
            value = token?.Type switch
            {
                JTokenType.Integer => checked((int)token.Value<long>()),
                JTokenType.String => int.TryParse((string?)token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
                JTokenType.Float when token.Value<double>() is var d && d == Math.Floor(d) && d is >= 0 and <= int.MaxValue => (int)d,
                _ => null,
            };
        }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException or FormatException)
        {
            value = null;
        }
        if (value is null or < 1)
        {
            warnings.Add($"'{name}' must be a whole number of at least 1 (Service Bus counts deliveries from 1), but was {JsonValues.Describe(token)}{(value is not null ? $" {value}" : "")}.");
            return null;
        }
        return value;
    }

    /// <summary>The detail as one clean line (<see cref="DeadLetterText"/>): strings as they are, objects (e.g. an HTTP
    /// error body) as compact JSON.</summary>
    private static string? Describe(JToken? detail)
    {
        if (detail is null || detail.Type == JTokenType.Null) return null;
        var text = detail.Type == JTokenType.String ? (string?)detail : detail.ToString(Formatting.None);
        var clean = DeadLetterText.Clean(text, MaxDescriptionLength);
        return clean.Length == 0 ? null : clean;
    }

    private static SettlementDecision Abandon(string explanation, List<string> warnings) =>
        new() { Action = SettlementActions.Abandon, Explanation = explanation, Warnings = warnings };

    private static SettlementDecision DeadLetter(string reason, string description, string explanation, List<string> warnings) => new()
    {
        Action = SettlementActions.DeadLetter,
        DeadLetterReason = SafeText.Truncate(reason, MaxReasonLength),
        DeadLetterErrorDescription = DeadLetterText.Clean(description, MaxDescriptionLength),
        Explanation = explanation,
        Warnings = warnings,
    };
}
