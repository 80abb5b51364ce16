using System.Globalization;

namespace OrderEvents.CustomCode.Mapping.Sap;

/// <summary>SAP's external-to-internal number formats used in BAPI payloads.</summary>
public static class SapNumbers
{
    /// <summary>Length of KUNNR (customer) and VBELN (sales document) numbers.</summary>
    public const int DocumentNumberLength = 10;

    /// <summary>
    /// ALPHA conversion exit, input direction: a purely numeric value is right-aligned and zero-padded to the
    /// field length (<c>100234</c> → <c>0000100234</c>); any other value stays as it is (left-aligned).
    /// Returns null when the value does not fit the field.
    /// </summary>
    public static string? AlphaInput(string value, int length)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || trimmed.Length > length) return null;
        return IsDigits(trimmed) ? trimmed.PadLeft(length, '0') : trimmed;
    }

    /// <summary>Item number (NUMC 6) of the line at <paramref name="index"/>: 000010, 000020, ...</summary>
    public static string ItemNumber(int index) => ((index + 1) * 10).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>First schedule line of an item (NUMC 4).</summary>
    public const string FirstScheduleLine = "0001";

    /// <summary>SAP DATS external form YYYYMMDD (valid as is only with the connector's Safe Typing; see docs/custom-code.md, "SAP").</summary>
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>QUAN 13,3: a plain invariant decimal without exponent or grouping; null when it needs more
    /// than 3 decimals or 10 integer digits.</summary>
    public static string? Quantity(decimal value)
    {
        if (decimal.Round(value, 3) != value || value >= 10_000_000_000m) return null;
        return value.ToString("0.###", CultureInfo.InvariantCulture);
    }

    public static bool IsDigits(string text)
    {
        if (text.Length == 0) return false;
        foreach (var c in text) if (c is < '0' or > '9') return false;
        return true;
    }
}
