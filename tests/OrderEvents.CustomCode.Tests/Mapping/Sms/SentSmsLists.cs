using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

/// <summary>An SMS as PrepareSms hands it over, and Twilio's "List Messages" answers built by hand (Twilio's shape:
/// https://www.twilio.com/docs/messaging/api/message-resource, dates in RFC 2822).</summary>
internal static class SentSmsLists
{
    public const string Anna = "+4915112345678";
    public const string Sender = "+15005550006";
    public const string Text = "Hi Anna, thank you for your order 100482.";

    /// <summary>When the earlier attempt began: 2026-03-02 08:15:00 UTC.</summary>
    public const string EarlierAttemptStartedUtc = "2026-03-02T08:15:00.0000000Z";

    public static JObject SmsToSend(string to = Anna, string from = Sender, string body = Text) =>
        new() { ["to"] = to, ["from"] = from, ["body"] = body, ["segments"] = 1 };

    public static JObject Message(string sid, string dateCreated = "Mon, 02 Mar 2026 08:15:02 +0000", string to = Anna, string from = Sender, string body = Text) =>
        new() { ["sid"] = sid, ["to"] = to, ["from"] = from, ["body"] = body, ["status"] = "delivered", ["date_created"] = dateCreated };

    public static JObject Listed(params JObject[] messages) =>
        new() { ["messages"] = new JArray(messages.Cast<object>().ToArray()), ["page"] = 0, ["page_size"] = 20 };
}
