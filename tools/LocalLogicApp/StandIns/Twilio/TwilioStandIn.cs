using System.Globalization;
using System.Text.RegularExpressions;
using LocalLogicApp.StandIns.Http;
using LocalLogicApp.StandIns.Recording;
using LocalLogicApp.StandIns.State;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping.Sms;

namespace LocalLogicApp.StandIns.Twilio;

/// <summary>
/// Plays the Twilio managed connector behind the <c>twilio</c> connection (https://learn.microsoft.com/connectors/twilio/):
/// <list type="bullet">
/// <item>"Send Text Message (SMS)" (<c>SendMessage</c>) is <c>POST /Messages.json</c> with <c>{from, to, body}</c>. Answers with
/// a Twilio Message resource (<c>sid</c> "SM" + 32 hex, status <c>queued</c>, <c>num_segments</c> counted by the project's one
/// <see cref="SmsSegments"/>) and rejects what Twilio rejects, with Twilio's error codes (21211 invalid To, 21212 invalid
/// From, 21602 empty body, 21617 body over 1,600 characters).</item>
/// <item>"List Messages" (<c>ListMessages</c>: To, From, DateSent, PageSize, Page) is <c>GET /Messages.json</c> with those
/// query parameters. Answers Twilio's list ("Read multiple Message resources",
/// https://www.twilio.com/docs/messaging/api/message-resource): <c>messages</c>, newest first, filtered by To, From and the
/// day of DateSent (<c>YYYY-MM-DD</c>, matched on the day the message was created: the stand-in never delivers), a page of
/// PageSize (default 50, at most 1,000) and the page fields. From every message it accepted, kept or not as a record: its
/// world (<see cref="SpillingTable{TValue}"/>), as a real Twilio keeps the messages of an account.</item>
/// </list>
/// </summary>
public sealed partial class TwilioStandIn(TimeProvider? clock = null) : HttpStandIn("twilio", clock)
{
    public const string SendMessageOperation = "SendMessage";
    public const string ListMessagesOperation = "ListMessages";
    private const int MaximumBodyLength = 1600;
    private const int DefaultPageSize = 50;
    private const int MaximumPageSize = 1000;
    private const string AccountSid = "AC00000000000000000000000000000000";
    private const string MessagesUri = $"/2010-04-01/Accounts/{AccountSid}/Messages.json";

    private readonly object gate = new();
    private readonly RecentRecords<TwilioMessage> sent = new();
    // The account's messages by sid, found by their To number: the newest in memory, the others spilled.
    private readonly SpillingTable<TwilioMessage> account = new(secondaryKeyOf: m => m.To);
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
        request.Path.TrimEnd('/').EndsWith("/Messages.json", StringComparison.OrdinalIgnoreCase)
            ? request.Method switch
            {
                "POST" => SendMessageOperation,
                "GET" => ListMessagesOperation,
                _ => $"{request.Method} {request.Path}",
            }
            : $"{request.Method} {request.Path}";

    protected override Task<StandInResponse> HandleAsync(StandInRequest request, CancellationToken cancellationToken)
    {
        var operation = OperationOf(request);
        if (operation == ListMessagesOperation) return Task.FromResult(List(request));
        if (operation != SendMessageOperation)
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
            account.Set(sid, message);
            Sent?.Invoke(message);
        }
        return Task.FromResult(StandInResponse.Json(201, Resource(message)));
    }

    /// <summary>"List Messages": the page of the account's messages the query selects, newest first.</summary>
    private StandInResponse List(StandInRequest request)
    {
        var to = Query(request, "To");
        var from = Query(request, "From");
        var dateSent = Query(request, "DateSent");
        DateOnly? day = null;
        if (dateSent is not null)
        {
            if (!DateOnly.TryParseExact(dateSent, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return Error(400, 20001, $"Invalid DateSent '{dateSent}': use YYYY-MM-DD.");
            }
            day = parsed;
        }
        if (!PageParameter(request, "PageSize", DefaultPageSize, out var pageSize) || pageSize is < 1 or > MaximumPageSize)
        {
            return Error(400, 20001, $"PageSize must be a whole number from 1 to {MaximumPageSize}.");
        }
        if (!PageParameter(request, "Page", 0, out var page) || page < 0)
        {
            return Error(400, 20001, "Page must be a whole number from 0.");
        }

        List<TwilioMessage> selected;
        lock (gate)
        {
            IEnumerable<TwilioMessage> candidates = to is null
                ? account.Snapshot().Values
                : account.KeysWithSecondary(to).Select(sid => account.TryGetValue(sid, out var m) ? m : null).OfType<TwilioMessage>();
            selected = candidates
                .Where(m => (from is null || m.From == from) && (day is null || DateOnly.FromDateTime(m.CreatedAt.UtcDateTime) == day))
                .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Sid, StringComparer.Ordinal)
                .ToList();
        }
        var start = (long)page * pageSize;
        var messages = new JArray(selected.Skip((int)Math.Min(start, int.MaxValue)).Take(pageSize).Select(Resource));
        var query = string.Concat(
            to is null ? "" : "&To=" + Uri.EscapeDataString(to),
            from is null ? "" : "&From=" + Uri.EscapeDataString(from),
            dateSent is null ? "" : "&DateSent=" + Uri.EscapeDataString(dateSent));
        string PageUri(int number) => $"{MessagesUri}?PageSize={pageSize}&Page={number}{query}";
        return StandInResponse.Json(200, new JObject
        {
            ["messages"] = messages,
            ["start"] = start,
            ["end"] = messages.Count == 0 ? start : start + messages.Count - 1,
            ["page"] = page,
            ["page_size"] = pageSize,
            ["uri"] = PageUri(page),
            ["first_page_uri"] = PageUri(0),
            ["previous_page_uri"] = page > 0 ? PageUri(page - 1) : null,
            ["next_page_uri"] = start + messages.Count < selected.Count ? PageUri(page + 1) : null,
        });
    }

    private static string? Query(StandInRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static bool PageParameter(StandInRequest request, string name, int otherwise, out int value)
    {
        value = otherwise;
        return Query(request, name) is not { } text || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A Message resource as Twilio answers it (dates in RFC 2822, counts as strings).</summary>
    private static JObject Resource(TwilioMessage message)
    {
        var created = message.CreatedAt.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return new JObject
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
        };
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
