namespace OrderEvents.CustomCode.Mapping.Sms;

/// <summary>E.164 numbers as Twilio expects them: '+', then 8 to 15 digits, the country code not starting with 0.</summary>
public static class PhoneNumber
{
    public const int MinDigits = 8, MaxDigits = 15;

    public static bool IsE164(string? value)
    {
        if (value is null || value.Length < MinDigits + 1 || value.Length > MaxDigits + 1 || value[0] != '+') return false;
        if (value[1] == '0') return false;
        for (var i = 1; i < value.Length; i++) if (value[i] is < '0' or > '9') return false;
        return true;
    }
}
