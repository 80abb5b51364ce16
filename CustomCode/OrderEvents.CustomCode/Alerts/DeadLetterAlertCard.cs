using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Mapping;
using OrderEvents.CustomCode.Settlement;

namespace OrderEvents.CustomCode.Alerts;

/// <summary>The Teams alert: the card as an object and as the JSON string the Teams connector's
/// "Post card in a chat or channel" takes in <c>messageBody</c>.</summary>
public sealed record DeadLetterAlert(JObject Card, string CardJson);

/// <summary>
/// Builds the Adaptive Card (1.5) that tells operators a message was dead-lettered: subscriber, order, reason,
/// description, delivery count, correlation id, enqueued time and a link to the workflow run. The dead letter
/// is hostile input (its content and properties come from whoever sent the message), so every value shown is
/// passed through <see cref="CardText.Safe"/> and only the run URL the workflow supplies can become a link.
/// </summary>
public static class DeadLetterAlertCard
{
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string Version = "1.5";
    /// <summary>Shown instead of a run URL that is missing or not https.</summary>
    public const string PlaceholderRunUrl = "https://portal.azure.com/#blade/HubsExtension/BrowseResource/resourceType/Microsoft.Web%2Fsites";
    private const string Unknown = "(unknown)";

    public static DeadLetterAlert Build(string? subscriber, JToken? deadLetter, string? runUrl)
    {
        var message = deadLetter as JObject ?? new JObject();
        var properties = message["userProperties"] as JObject ?? new JObject();

        var subscriberText = Or(CardText.Safe(subscriber, 64), Unknown);
        var reason = Or(CardText.Safe(Text(properties["DeadLetterReason"]), 128), Unknown);
        // Cleaned again: a dead letter may come from elsewhere than our settlement (the broker, another sender).
        var description = Or(CardText.Safe(DeadLetterText.Clean(Text(properties["DeadLetterErrorDescription"]), 1024), 600), "(none)");
        var orderId = Or(CardText.Safe(OrderId(message, properties), 64), Unknown);
        var correlationId = Or(CardText.Safe(Text(message["correlationId"]), 128), Unknown);
        var messageId = Or(CardText.Safe(Text(message["messageId"]), 128), Unknown);
        var deliveryCount = Or(CardText.Safe(Text(message["deliveryCount"]), 16), Unknown);
        var enqueued = Or(CardText.Safe(Timestamp(message["enqueuedTimeUtc"]), 40), Unknown);
        var sequenceNumber = Or(CardText.Safe(Text(message["sequenceNumber"]), 24), Unknown);
        var link = IsSafeRunUrl(runUrl) ? runUrl! : PlaceholderRunUrl;

        var card = new JObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = Schema,
            ["version"] = Version,
            ["body"] = new JArray
            {
                new JObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = $"Dead-lettered message: {subscriberText}",
                    ["weight"] = "Bolder",
                    ["size"] = "Medium",
                    ["color"] = "Attention",
                    ["wrap"] = true,
                },
                new JObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JArray
                    {
                        Fact("Subscriber", subscriberText),
                        Fact("Order", orderId),
                        Fact("Reason", reason),
                        Fact("Delivery count", deliveryCount),
                        Fact("Correlation id", correlationId),
                        Fact("Message id", messageId),
                        Fact("Sequence number", sequenceNumber),
                        Fact("Enqueued (UTC)", enqueued),
                    },
                },
                new JObject { ["type"] = "TextBlock", ["text"] = "Description", ["weight"] = "Bolder", ["wrap"] = true },
                new JObject { ["type"] = "TextBlock", ["text"] = description, ["wrap"] = true },
            },
            ["actions"] = new JArray
            {
                new JObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the workflow run", ["url"] = link },
            },
        };
        return new DeadLetterAlert(card, card.ToString(Formatting.None));
    }

    /// <summary>Only absolute https URLs without credentials, whitespace or control characters become the link.</summary>
    public static bool IsSafeRunUrl(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || SafeText.HasInvalidCharacter(url) || url.Any(char.IsWhiteSpace)) return false;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps
            && string.IsNullOrEmpty(uri.UserInfo)
            && uri.Host.Length > 0;
    }

    private static JObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    private static string Or(string value, string fallback) => value.Length == 0 ? fallback : value;

    private static string? Text(JToken? token) => token switch
    {
        null => null,
        JValue { Type: JTokenType.Null } => null,
        JValue { Type: JTokenType.Date } value => ((DateTime)value).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
        _ => token.ToString(Formatting.None),
    };

    private static string? Timestamp(JToken? token)
    {
        var text = Text(token);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;
    }

    /// <summary>The order id from the message content, whichever of the trigger's contentData shapes it has
    /// (JSON value, JSON text, or a base64 <c>$content</c> wrapper); else an <c>orderId</c> user property.</summary>
    private static string? OrderId(JObject message, JObject properties)
    {
        var content = message["contentData"];
        try
        {
            if (content is JObject wrapper && wrapper["$content"] is JValue { Type: JTokenType.String } base64)
            {
                content = JToken.Parse(Encoding.UTF8.GetString(Convert.FromBase64String((string)base64!)));
            }
            else if (content is JValue { Type: JTokenType.String } textContent)
            {
                var raw = ((string)textContent!).TrimStart();
                if (raw.StartsWith('{')) content = JToken.Parse(raw);
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            content = null;
        }
        var fromContent = content is JObject body ? body["data"]?["orderId"] : null;
        return Text(fromContent) ?? Text(properties["orderId"]);
    }
}
