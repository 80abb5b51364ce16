using System.Globalization;

namespace OrderEvents.CustomCode.Mapping.Sms;

/// <summary>How the text travels: GSM-7 (3GPP TS 23.038 default alphabet) or UCS-2.</summary>
public enum SmsEncoding { Gsm7, Ucs2 }

/// <summary>Encoding and number of SMS segments a text needs.</summary>
public readonly record struct SmsSegmentCount(SmsEncoding Encoding, int Segments, int Units);

/// <summary>
/// Counts SMS segments the way Twilio bills them (the one implementation: the mapper and the Twilio stand-in both use
/// it). GSM-7 fits 160 septets in one segment or 153 per segment when concatenated (the user data header takes the
/// rest); an extension-table character costs 2 septets (escape + character) and is never split across segments. Any
/// character outside GSM-7 switches the whole text to UCS-2: 70 UTF-16 units in one segment or 67 per segment, never
/// splitting a character (a surrogate pair, or a letter with its combining marks) across segments.
/// Sources: the alphabet and extension table of 3GPP TS 23.038 §6.2.1 and §6.2.1.1 (GSM 03.38); the limits of
/// https://www.twilio.com/docs/glossary/what-sms-character-limit and
/// https://www.twilio.com/docs/glossary/what-is-ucs-2-character-encoding; splitting as Twilio's segment calculator
/// does it (TwilioDevEd/message-segment-calculator, src/libs/SegmentedMessage.ts: a character goes whole into the
/// next segment when it does not fit).
/// </summary>
public static class SmsSegments
{
    public const int Gsm7Single = 160, Gsm7Multi = 153, Ucs2Single = 70, Ucs2Multi = 67;

    // GSM 03.38 default alphabet (basic character set), in code order.
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Basic character set extension table: each costs ESC + character.
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = new(Basic.Where(c => c != '\u001B'));
    private static readonly HashSet<char> ExtensionSet = new(Extension);

    public static bool IsGsm7(string text)
    {
        foreach (var c in text) if (!BasicSet.Contains(c) && !ExtensionSet.Contains(c)) return false;
        return true;
    }

    public static SmsSegmentCount Count(string text)
    {
        if (IsGsm7(text))
        {
            var septets = 0;
            foreach (var c in text) septets += ExtensionSet.Contains(c) ? 2 : 1;
            if (septets <= Gsm7Single) return new SmsSegmentCount(SmsEncoding.Gsm7, septets == 0 ? 0 : 1, septets);
            var segments = 1;
            var used = 0;
            foreach (var c in text)
            {
                var cost = ExtensionSet.Contains(c) ? 2 : 1;
                if (used + cost > Gsm7Multi) { segments++; used = 0; }
                used += cost;
            }
            return new SmsSegmentCount(SmsEncoding.Gsm7, segments, septets);
        }

        if (text.Length <= Ucs2Single) return new SmsSegmentCount(SmsEncoding.Ucs2, 1, text.Length);
        var ucsSegments = 1;
        var ucsUsed = 0;
        var characters = StringInfo.GetTextElementEnumerator(text);
        while (characters.MoveNext())
        {
            var cost = characters.GetTextElement().Length;
            if (ucsUsed + cost > Ucs2Multi && ucsUsed > 0) { ucsSegments++; ucsUsed = 0; }
            ucsUsed += cost;
        }
        return new SmsSegmentCount(SmsEncoding.Ucs2, ucsSegments, text.Length);
    }
}
