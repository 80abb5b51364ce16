using System.Globalization;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping.Sms;

/// <summary><c>FindSmsAlreadySent</c>: whether Twilio already holds this event's SMS, sent by an earlier attempt whose
/// claim was taken over. <see cref="Found"/> true: do not send again, <see cref="TwilioMessageSid"/> is the SMS.</summary>
public sealed record SentSmsSearch
{
    public bool Found { get; init; }
    /// <summary>The sid of the message found (what <c>Send_SMS</c> would have answered), or null.</summary>
    public string? TwilioMessageSid { get; init; }
    /// <summary>When Twilio created it (its <c>date_created</c>, ISO 8601 UTC), or null.</summary>
    public string? CreatedUtc { get; init; }
    /// <summary>How many listed messages were looked at.</summary>
    public int Listed { get; init; }
    /// <summary>Why nothing was found, in one sentence (no personal data), or null when found.</summary>
    public string? Reason { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = [];
}

/// <summary>
/// Looks for this event's SMS among the messages Twilio lists for its number (the Twilio connector's "List Messages",
/// Twilio's "Read multiple Message resources": <c>{messages: [...]}</c>, newest first,
/// https://www.twilio.com/docs/messaging/api/message-resource). A listed message is this SMS when it went to the same
/// number (and from the same sender, when both are known), carries the same text, or the text with Twilio's trial-account
/// prefix, and was created no earlier than the earlier attempt began, less <see cref="ClockSkew"/> (Twilio's clock and
/// ours differ). Pure logic: the workflow makes the call and hands its answer over.
/// </summary>
public static class SentSmsFinder
{
    /// <summary>What Twilio puts before the text of a message sent from a trial account ("How does Twilio's Free Trial
    /// work?", https://help.twilio.com/articles/223136107).</summary>
    public const string TrialPrefix = "Sent from your Twilio trial account - ";

    /// <summary>How far Twilio's <c>date_created</c> may lie before our clock's start of the earlier attempt.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <param name="sms"><c>PrepareSms</c>'s <c>sms</c> (<c>to</c>, <c>from</c>, <c>body</c>).</param>
    /// <param name="listed">The List Messages action's body; anything without a <c>messages</c> array (a failed call's
    /// error) finds nothing.</param>
    /// <param name="earlierAttemptStartedUtc">When the earlier attempt began (ISO 8601); null or empty: no time bound.</param>
    public static SentSmsSearch Find(JToken? sms, JToken? listed, string? earlierAttemptStartedUtc)
    {
        var to = Text(sms?["to"]);
        var from = Text(sms?["from"]);
        var body = Text(sms?["body"]);
        var errors = new List<ContractError>();
        if (string.IsNullOrEmpty(to)) errors.Add(new ContractError("sms.to", "MissingTo", "The SMS has no 'to' number to look for."));
        if (string.IsNullOrEmpty(body)) errors.Add(new ContractError("sms.body", "MissingBody", "The SMS has no text to look for."));
        DateTimeOffset? notBefore = null;
        if (!string.IsNullOrEmpty(earlierAttemptStartedUtc))
        {
            if (DateTimeOffset.TryParse(earlierAttemptStartedUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var started))
            {
                notBefore = started - ClockSkew;
            }
            else
            {
                errors.Add(new ContractError("earlierAttemptStartedUtc", "InvalidDate", $"'{earlierAttemptStartedUtc}' is not an ISO 8601 date and time."));
            }
        }
        if (errors.Count > 0) return new SentSmsSearch { Reason = "The search could not be made: " + errors[0].Message, Errors = errors };
        if ((listed as JObject)?["messages"] is not JArray messages)
        {
            return new SentSmsSearch { Reason = "Twilio's list of messages could not be read (the call failed or answered no 'messages' array)." };
        }

        foreach (var message in messages)
        {
            if (message is not JObject listedMessage) continue;
            if (!string.Equals(Text(listedMessage["to"]), to, StringComparison.Ordinal)) continue;
            if (from is not null && Text(listedMessage["from"]) is { } listedFrom && !string.Equals(listedFrom, from, StringComparison.Ordinal)) continue;
            if (!SameText(Text(listedMessage["body"]), body!)) continue;
            var created = TwilioDate(listedMessage["date_created"]);
            if (notBefore is { } bound && (created is null || created < bound)) continue;
            return new SentSmsSearch
            {
                Found = true,
                TwilioMessageSid = Text(listedMessage["sid"]),
                CreatedUtc = created?.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
                Listed = messages.Count,
            };
        }
        return new SentSmsSearch
        {
            Listed = messages.Count,
            Reason = messages.Count == 0
                ? "Twilio lists no message to the number."
                : $"None of the {messages.Count} messages Twilio lists for the number is this SMS" + (notBefore is null ? "." : " created since the earlier attempt began."),
        };
    }

    /// <summary>Twilio's dates are RFC 2822 (<c>Wed, 18 Aug 2010 20:01:40 +0000</c>); an ISO 8601 date is read too.</summary>
    internal static DateTimeOffset? TwilioDate(JToken? value)
    {
        var text = Text(value);
        if (text is null) return null;
        // .NET's "zzz" reads "+00:00": give RFC 2822's "+0000" its colon.
        var offsetAt = text.Length - 5;
        if (offsetAt > 0 && text[offsetAt] is '+' or '-' && text[(offsetAt + 1)..].All(char.IsAsciiDigit))
        {
            var withColon = text[..(offsetAt + 3)] + ":" + text[(offsetAt + 3)..];
            if (DateTimeOffset.TryParseExact(withColon, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var rfc2822)) return rfc2822;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var other) ? other : null;
    }

    private static bool SameText(string? listed, string expected) =>
        listed is not null
        && (string.Equals(listed, expected, StringComparison.Ordinal)
            || (listed.Length == TrialPrefix.Length + expected.Length
                && listed.StartsWith(TrialPrefix, StringComparison.Ordinal)
                && listed.EndsWith(expected, StringComparison.Ordinal)));

    private static string? Text(JToken? token) => token is JValue { Type: JTokenType.String } value ? (string?)value : null;
}
