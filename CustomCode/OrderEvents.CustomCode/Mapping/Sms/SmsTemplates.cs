using System.Text;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;

namespace OrderEvents.CustomCode.Mapping.Sms;

/// <summary>
/// The SMS text per event type. Templates may only use the placeholders below, which carry no personal data
/// beyond the customer's first name; anything else in braces is rejected, so a template can never pull an
/// address, e-mail or phone number into a message.
/// </summary>
public static class SmsTemplates
{
    public static readonly IReadOnlyList<string> Placeholders = new[] { "orderId", "amount", "currency", "firstName" };

    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        [OrderEventTypes.Created] = "Hi {firstName}, thank you for your order {orderId} ({amount} {currency}). We will let you know when it ships.",
        [OrderEventTypes.Updated] = "Hi {firstName}, your order {orderId} was updated. New total: {amount} {currency}.",
        [OrderEventTypes.Cancelled] = "Hi {firstName}, your order {orderId} was cancelled. Any payment will be refunded.",
    };

    public const int MaxTemplateLength = 1000;

    /// <summary>The template for the event type: the override from <paramref name="overrides"/> (a JSON object
    /// keyed by event type) when present, otherwise the default.</summary>
    public static string? Select(string eventType, JToken? overrides, List<ContractError> errors)
    {
        if (overrides is not null && overrides.Type != JTokenType.Null)
        {
            if (overrides is not JObject map)
            {
                errors.Add(new ContractError("templates", "WrongType", $"'templates' must be an object keyed by event type, but was {JsonValues.Describe(overrides)}."));
                return null;
            }
            foreach (var property in map.Properties())
            {
                if (!OrderEventTypes.All.Contains(property.Name))
                {
                    errors.Add(new ContractError($"templates.{SafeText.Truncate(SafeText.StripControlCharacters(property.Name), 40)}", "UnknownEventType",
                        $"Templates are keyed by {string.Join(", ", OrderEventTypes.All)}."));
                }
            }
            var chosen = map[eventType];
            if (chosen is not null && chosen.Type != JTokenType.Null)
            {
                if (chosen.Type != JTokenType.String)
                {
                    errors.Add(new ContractError($"templates.{eventType}", "WrongType", "A template must be a string."));
                    return null;
                }
                var text = (string)chosen!;
                if (!Check(text, $"templates.{eventType}", errors)) return null;
                return text;
            }
        }
        return Defaults.TryGetValue(eventType, out var fallback) ? fallback : null;
    }

    private static bool Check(string template, string path, List<ContractError> errors)
    {
        var before = errors.Count;
        if (template.Trim().Length == 0) errors.Add(new ContractError(path, "EmptyTemplate", "The template is empty."));
        if (template.Length > MaxTemplateLength) errors.Add(new ContractError(path, "TemplateTooLong", $"Templates have at most {MaxTemplateLength} characters."));
        if (SafeText.HasInvalidCharacter(template.Replace("\n", ""))) errors.Add(new ContractError(path, "InvalidCharacter", "The template contains control characters other than line feeds."));
        var index = 0;
        while (index < template.Length)
        {
            var open = template.IndexOf('{', index);
            var close = template.IndexOf('}', index);
            if (open < 0 && close < 0) break;
            if (close >= 0 && (open < 0 || close < open))
            {
                errors.Add(new ContractError(path, "UnbalancedBrace", "The template has a '}' without a matching '{'."));
                break;
            }
            var end = template.IndexOf('}', open + 1);
            if (end < 0)
            {
                errors.Add(new ContractError(path, "UnbalancedBrace", "The template has a '{' without a matching '}'."));
                break;
            }
            var name = template.Substring(open + 1, end - open - 1);
            if (!Placeholders.Contains(name))
            {
                errors.Add(new ContractError(path, "UnknownPlaceholder",
                    $"The placeholder '{{{SafeText.Truncate(SafeText.StripControlCharacters(name), 40)}}}' is not allowed; use {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}."));
            }
            index = end + 1;
        }
        return errors.Count == before;
    }

    /// <summary>Fills a checked template.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder(template.Length + 64);
        var index = 0;
        while (index < template.Length)
        {
            var open = template.IndexOf('{', index);
            if (open < 0) { builder.Append(template, index, template.Length - index); break; }
            builder.Append(template, index, open - index);
            var end = template.IndexOf('}', open + 1);
            builder.Append(values[template.Substring(open + 1, end - open - 1)]);
            index = end + 1;
        }
        return builder.ToString();
    }
}
