using System.Text.RegularExpressions;
using OrderEvents.CustomCode.Mapping;

namespace OrderEvents.CustomCode.Settlement;

/// <summary>
/// What a dead-letter description may say. It quotes downstream systems (SAP's RETURN messages, Twilio's error,
/// the warehouse's problem details), which echo what they were sent and sometimes more, and it travels on to the
/// dead-letter queue, the lake archive and a Teams channel. So it becomes one line, bounded, with what could be a
/// credential or personal data taken out: URL query strings (SAS signatures) and user info, credential-like
/// <c>key=value</c> pairs, bearer and basic credentials, JWTs, phone numbers (masked like every phone number this
/// project logs) and e-mail addresses (the local part masked).
/// </summary>
public static partial class DeadLetterText
{
    public const string Redacted = "[redacted]";

    public static string Clean(string? text, int maxLength)
    {
        var line = SafeText.StripControlCharacters(text);
        if (line.Length == 0) return "";
        line = UrlUserInfo().Replace(line, "${scheme}://");
        line = UrlQuery().Replace(line, m => m.Groups["url"].Value + "?" + Redacted);
        line = AuthorizationScheme().Replace(line, m => m.Groups["scheme"].Value + " " + Redacted);
        line = Credential().Replace(line, m => m.Groups["name"].Value + "=" + Redacted);
        line = Jwt().Replace(line, Redacted);
        line = PhoneNumber().Replace(line, m => SafeText.MaskPhone(m.Value));
        line = Email().Replace(line, m => m.Groups["first"].Value + "***@" + m.Groups["domain"].Value);
        return SafeText.Truncate(line, maxLength);
    }

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://[^/\s@]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(?<url>[A-Za-z][A-Za-z0-9+.-]*://[^\s?#""'<>]+)\?[^\s""'<>]*", RegexOptions.CultureInvariant)]
    private static partial Regex UrlQuery();

    [GeneratedRegex(@"(?i)\b(?<name>sig|signature|token|access_token|refresh_token|id_token|password|passwd|pwd|secret|client_secret|api[-_]?key|subscription[-_]?key|account[-_]?key|shared[-_]?access[-_]?key|shared[-_]?access[-_]?signature|authorization)\b\s*[=:]\s*(?:""[^""]*""|'[^']*'|[^\s&;,]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Credential();

    [GeneratedRegex(@"(?i)\b(?<scheme>bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationScheme();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    // E.164 (a '+' and 8 to 15 digits, the form the contract requires), possibly grouped by spaces or hyphens.
    [GeneratedRegex(@"(?<![\w+])\+\d(?:[ -]?\d){7,14}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"(?<![\w.+-])(?<first>[A-Za-z0-9])[A-Za-z0-9._%+-]*@(?<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
