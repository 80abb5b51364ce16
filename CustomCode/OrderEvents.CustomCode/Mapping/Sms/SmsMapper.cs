using System.Globalization;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping.Sms;

/// <summary>What the SMS subscriber passes to Twilio's "Send Text Message" (<c>POST /Messages.json</c>).</summary>
public sealed record SmsMessage
{
    public bool ShouldSend { get; init; }
    /// <summary>Why nothing is sent: <c>NoSmsOptIn</c>, <c>NoPhoneNumber</c>, <c>InvalidPhoneNumber</c>,
    /// <c>InvalidOrderEvent</c>, <c>InvalidTemplate</c>, <c>InvalidFromNumber</c>, <c>BodyTooLong</c>; null when sending.</summary>
    public string? SkipReason { get; init; }
    public string? To { get; init; }
    public string? From { get; init; }
    public string? Body { get; init; }
    public int Segments { get; init; }
    /// <summary><c>GSM-7</c> or <c>UCS-2</c>.</summary>
    public string? Encoding { get; init; }
    public IReadOnlyList<ContractError> Errors { get; init; } = Array.Empty<ContractError>();
}

/// <summary>
/// Maps an order event to an SMS for the customer: only with SMS opt-in and a valid E.164 number, text from a
/// per-event-type template, the only personal data in the text being the first name.
/// </summary>
public static class SmsMapper
{
    /// <summary>Twilio's limit for a message body.</summary>
    public const int MaxBodyLength = 1600;
    private const int MaxFirstNameLength = 30;
    private const string FirstNameFallback = "there";

    public static SmsMessage Map(JToken? orderEvent, JToken? templates, string? fromNumber) => Map(orderEvent, templates, fromNumber, null);

    /// <param name="validated"><paramref name="orderEvent"/> as read by the validation that accepted it (a subscriber's
    /// delivery), or null to read it here.</param>
    internal static SmsMessage Map(JToken? orderEvent, JToken? templates, string? fromNumber, OrderEvent? validated)
    {
        var errors = new List<ContractError>();
        var read = OrderEventReader.Read(orderEvent, LineRequirement.Optional, validated);
        if (!read.IsUsable) return Skip("InvalidOrderEvent", read.Errors);
        var order = read.Event!;
        var data = order.Data!;

        if (data.Customer is not { SmsOptIn: true }) return Skip("NoSmsOptIn");
        var phone = data.Customer.Phone;
        if (string.IsNullOrWhiteSpace(phone)) return Skip("NoPhoneNumber");
        if (!PhoneNumber.IsE164(phone))
        {
            errors.Add(new ContractError("data.customer.phone", "InvalidPhoneNumber",
                $"The phone number '{SafeText.MaskPhone(phone)}' is not E.164 ('+' and {PhoneNumber.MinDigits} to {PhoneNumber.MaxDigits} digits, no leading 0)."));
            return Skip("InvalidPhoneNumber", errors);
        }
        if (fromNumber is not null && !PhoneNumber.IsE164(fromNumber))
        {
            errors.Add(new ContractError("fromNumber", "InvalidFromNumber", "The sender number must be E.164."));
            return Skip("InvalidFromNumber", errors);
        }

        var template = SmsTemplates.Select(order.EventType, templates, errors);
        if (template is null || errors.Count > 0) return Skip("InvalidTemplate", errors);

        var values = new Dictionary<string, string>(4)
        {
            ["orderId"] = SafeText.Truncate(SafeText.StripControlCharacters(data.OrderId), 64),
            ["amount"] = data.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["currency"] = SafeText.Truncate(SafeText.StripControlCharacters(data.Currency), 5),
            ["firstName"] = FirstName(data.Customer.Name),
        };
        var body = SmsTemplates.Render(template, values);
        if (body.Length > MaxBodyLength)
        {
            errors.Add(new ContractError("templates", "BodyTooLong", $"The text has {body.Length} characters; Twilio takes at most {MaxBodyLength}."));
            return Skip("BodyTooLong", errors);
        }
        var count = SmsSegments.Count(body);
        return new SmsMessage
        {
            ShouldSend = true,
            To = phone,
            From = fromNumber,
            Body = body,
            Segments = count.Segments,
            Encoding = count.Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2",
        };
    }

    /// <summary>The first word of the name, or a neutral word when it is missing or could be contact data
    /// (contains '@' or digits: an e-mail or phone typed into the name field must not reach the text).</summary>
    public static string FirstName(string? name)
    {
        var clean = SafeText.StripControlCharacters(name);
        var space = clean.IndexOf(' ');
        var first = space < 0 ? clean : clean[..space];
        if (first.Length == 0 || first.Any(c => c == '@' || char.IsDigit(c) || c == '{' || c == '}')) return FirstNameFallback;
        return SafeText.Truncate(first, MaxFirstNameLength);
    }

    private static SmsMessage Skip(string reason, IReadOnlyList<ContractError>? errors = null) =>
        new() { ShouldSend = false, SkipReason = reason, Errors = errors ?? Array.Empty<ContractError>() };
}
