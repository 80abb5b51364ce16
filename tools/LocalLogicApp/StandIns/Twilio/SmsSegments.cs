namespace LocalLogicApp.StandIns.Twilio;

/// <summary>How many SMS segments a text takes: GSM-7 (160 per single message, 153 per part) unless a
/// character outside the GSM 03.38 sets forces UCS-2 (70, and 67 per part). Extension characters count twice.</summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "^{}\\[~]|€\f";

    public static int Count(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            if (Basic.Contains(c)) septets++;
            else if (Extension.Contains(c)) septets += 2;
            else return Parts(text.Length, 70, 67);
        }
        return Parts(septets, 160, 153);
    }

    private static int Parts(int units, int single, int perPart) =>
        units <= single ? 1 : (units + perPart - 1) / perPart;
}
