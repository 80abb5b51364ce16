using System.Buffers;
using System.Text;
using OrderEvents.CustomCode.Mapping;

namespace OrderEvents.CustomCode.Alerts;

/// <summary>
/// Makes a value from a message safe to show in an Adaptive Card TextBlock or Fact (both render a Markdown
/// subset in Teams). Control characters and line breaks are removed (so a value cannot start a list line),
/// Markdown and template syntax is replaced by look-alike characters rather than backslash-escaped (Teams
/// clients render backslash escapes inconsistently), URL schemes are defanged so no client turns them into
/// links, and the result is truncated with an ellipsis.
/// </summary>
public static class CardText
{
    private static readonly SearchValues<char> Markup = SearchValues.Create("[]()*_#`><~|\\{}@:.");

    public static string Safe(string? value, int maxLength)
    {
        var clean = SafeText.StripControlCharacters(value);
        if (clean.Length == 0) return "";
        if (clean.AsSpan().IndexOfAny(Markup) < 0 && clean[0] is not ('-' or '+') && !char.IsAsciiDigit(clean[0]))
            return SafeText.Truncate(clean, maxLength);
        var builder = new StringBuilder(clean.Length + 8);
        foreach (var c in clean)
        {
            builder.Append(c switch
            {
                '[' => '\uFF3B', // ［
                ']' => '\uFF3D', // ］
                '(' => '\uFF08', // （
                ')' => '\uFF09', // ）
                '*' => '\u2217', // ∗
                '_' => '\uFF3F', // ＿
                '#' => '\uFF03', // ＃
                '`' => '\u02CB', // ˋ
                '>' => '\u203A', // ›
                '<' => '\u2039', // ‹ (also stops <at>mention</at> tags)
                '~' => '\uFF5E', // ～
                '|' => '\u2223', // ∣
                '\\' => '\uFF3C', // ＼
                '{' => '\uFF5B', // ｛ (stops {{DATE(...)}} template functions)
                '}' => '\uFF5D', // ｝
                '@' => '\uFF20', // ＠
                _ => c,
            });
        }
        DefangLinks(builder);
        // A value that starts like a list item ("- x", "+ x", "1. x") would render as a list.
        if (builder.Length > 0 && builder[0] is '-' or '+') builder[0] = '\u2010';
        var digits = 0;
        while (digits < builder.Length && char.IsAsciiDigit(builder[digits])) digits++;
        if (digits > 0 && digits < builder.Length && builder[digits] is '.' or ')') builder[digits] = '\uFF0E';
        return SafeText.Truncate(builder.ToString(), maxLength);
    }

    /// <summary>"https://x" → "https[:]//x", "www.x" → "www[.]x" (with look-alike brackets): readable, never a link.</summary>
    private static void DefangLinks(StringBuilder builder)
    {
        var text = builder.ToString();
        if (!text.Contains("://", StringComparison.Ordinal) && !text.Contains("www.", StringComparison.OrdinalIgnoreCase)) return;
        builder.Replace("://", "\uFF3B:\uFF3D//");
        builder.Replace("www.", "www\uFF3B.\uFF3D");
        builder.Replace("WWW.", "WWW\uFF3B.\uFF3D");
    }
}
