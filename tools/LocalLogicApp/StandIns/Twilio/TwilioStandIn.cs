using System.Globalization;
using System.Text.RegularExpressions;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Recording;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sms;

namespace LocalLogicApp.StandIns.Twilio;

/// <summary>
/// Plays the Twilio managed connector behind the <c>twilio</c> connection: "Send Text Message (SMS)" is
/// <c>POST /Messages.json</c> with <c>{from, to, body}</c> (https://learn.microsoft.com/connectors/twilio/). Answers with a Twilio
/// Message resource (<c>sid</c> "SM" + 32 hex, status <c>queued</c>, <c>num_segments</c> counted by the project's one
/// <see cref="SmsSegments"/>) and rejects what
/// Twilio rejects, with Twilio's error codes (21211 invalid To, 21212 invalid From, 21602 empty body,
/// 21617 body over 1,600 characters).
/// </summary>
public sealed partial class TwilioStandIn(TimeProvider? clock = null) : HttpStandIn("twilio", clock)
{
    public const string SendMessageOperation = "SendMessage";
    private const int MaximumBodyLength = 1600;
    private const string AccountSid = "AC00000000000000000000000000000000";

    private readonly object gate = new();
    private readonly RecentRecords<TwilioMessage> sent = new();
    private long sentCount;

    /// <summary>Raised for every message accepted, once it is sent.</summary>
    public event Action<TwilioMessage>? Sent;

    /// <summary>The newest messages accepted (a rejected or faulted call sends nothing), at most
    /// <see cref="HttpStandIn.RecordLimit"/>; empty when <see cref="HttpStandIn.KeepRecords"/> is off.</summary>
    public IReadOnlyList<TwilioMessage> SentMessages => sent.Snapshot();

    /// <summary>Every message accepted since the start, kept or not.</summary>
    public long SentCount => sent.Total;

    protected override void OnRecordLimitChanged(int limit) => sent.Limit = limit;

    protected override string OperationOf(StandInRequest request) =>
        request.Method == "POST" && request.Path.TrimEnd('/').EndsWith("/Messages.json", StringComparison.OrdinalIgnoreCase)
            ? SendMessageOperation
            : $"{request.Method} {request.Path}";

    protected override Task<StandInResponse> HandleAsync(StandInRequest request, CancellationToken cancellationToken)
    {
        if (OperationOf(request) != SendMessageOperation)
        {
            return Task.FromResult(Error(404, 20404, "The requested resource was not found"));
        }
        if (request.JsonBody() is not JObject body)
        {
            return Task.FromResult(Error(400, 21601, "The request body must be a JSON object with 'from', 'to' and 'body'."));
        }
        var to = body.Value<string>("to");
        var from = body.Value<string>("from");
        var text = body.Value<string>("body");
        if (string.IsNullOrWhiteSpace(to)) return Task.FromResult(Error(400, 21604, "A 'To' phone number is required."));
        if (!E164().IsMatch(to)) return Task.FromResult(Error(400, 21211, $"The 'To' number {to} is not a valid phone number."));
        if (string.IsNullOrWhiteSpace(from)) return Task.FromResult(Error(400, 21603, "A 'From' phone number is required."));
        if (!E164().IsMatch(from) && !AlphanumericSenderId().IsMatch(from))
        {
            return Task.FromResult(Error(400, 21212, $"The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID."));
        }
        if (string.IsNullOrEmpty(text)) return Task.FromResult(Error(400, 21602, "Message body is required."));
        if (text.Length > MaximumBodyLength) return Task.FromResult(Error(400, 21617, "The concatenated message body exceeds the 1600 character limit."));

        TwilioMessage message;
        lock (gate)
        {
            var sid = "SM" + (++sentCount).ToString("x32", CultureInfo.InvariantCulture);
            message = new TwilioMessage(sid, from, to, text, SmsSegments.Count(text).Segments, Clock.GetUtcNow());
            sent.Add(message);
            Sent?.Invoke(message);
        }
        var created = message.CreatedAt.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return Task.FromResult(StandInResponse.Json(201, new JObject
        {
            ["sid"] = message.Sid,
            ["account_sid"] = AccountSid,
            ["from"] = message.From,
            ["to"] = message.To,
            ["body"] = message.Body,
            ["status"] = "queued",
            ["direction"] = "outbound-api",
            ["num_segments"] = message.Segments.ToString(CultureInfo.InvariantCulture),
            ["num_media"] = "0",
            ["date_created"] = created,
            ["date_updated"] = created,
            ["date_sent"] = null,
            ["price"] = null,
            ["price_unit"] = "USD",
            ["error_code"] = null,
            ["error_message"] = null,
            ["api_version"] = "2010-04-01",
            ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{message.Sid}.json",
        }));
    }

    private static StandInResponse Error(int status, int code, string message) => StandInResponse.Json(status, new JObject
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    });

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    private static partial Regex E164();

    // Twilio accepts up to 11 characters, letters, digits and spaces, with at least one letter.
    [GeneratedRegex(@"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")]
    private static partial Regex AlphanumericSenderId();
}

public sealed record TwilioMessage(string Sid, string From, string To, string Body, int Segments, DateTimeOffset CreatedAt);
