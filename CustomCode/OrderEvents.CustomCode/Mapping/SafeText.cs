using System.Text;

namespace OrderEvents.CustomCode.Mapping;

/// <summary>
/// Text hygiene shared by the mappers, settlement and alerts: finding and removing control characters and
/// truncating without splitting a surrogate pair. Values taken from messages pass through here before they
/// reach SAP XML, an SMS, a dead-letter description or a Teams card.
/// </summary>
public static class SafeText
{
    public const char Ellipsis = '\u2026';

    /// <summary>True when the text holds a control character (C0, DEL, C1) or a lone surrogate: characters
    /// that are not allowed in XML 1.0 or that would let a value forge line structure.</summary>
    public static bool HasInvalidCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c)) return true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return true;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return true;
        }
        return false;
    }

    /// <summary>Replaces every run of control characters and whitespace with one space, drops lone
    /// surrogates, and trims. Line breaks become spaces so a value can never start a new line.</summary>
    public static string StripControlCharacters(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!HasInvalidCharacter(text) && !HasLineOrTabOrDoubleSpace(text)) return text.Trim();
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    if (pendingSpace) { builder.Append(' '); pendingSpace = false; }
                    builder.Append(c).Append(text[i + 1]);
                    i++;
                }
                continue;
            }
            if (char.IsLowSurrogate(c)) continue;
            if (pendingSpace) { builder.Append(' '); pendingSpace = false; }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>Cuts the text to at most <paramref name="maxLength"/> UTF-16 units, ending with an ellipsis when
    /// cut, never splitting a surrogate pair.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (maxLength < 1) return "";
        if (text.Length <= maxLength) return text;
        var cut = maxLength - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), Ellipsis.ToString());
    }

    /// <summary>Masks a phone number for messages and logs: keeps the country prefix and the last three digits.</summary>
    public static string MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return "";
        var clean = StripControlCharacters(phone);
        if (clean.Length <= 6) return new string('*', clean.Length);
        return string.Concat(clean.AsSpan(0, 3), new string('*', clean.Length - 6), clean.AsSpan(clean.Length - 3));
    }

    private static bool HasLineOrTabOrDoubleSpace(string text)
    {
        var previousSpace = false;
        foreach (var c in text)
        {
            if (c != ' ' && char.IsWhiteSpace(c)) return true;
            if (c == ' ' && previousSpace) return true;
            previousSpace = c == ' ';
        }
        return false;
    }
}
