using System.Globalization;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>How a timestamp's text said where it is: no zone (written back without a suffix), 'Z' (written
/// with 'Z'), or an offset (converted to UTC and written '+00:00', as the cloud runtime, whose local zone is
/// UTC, does).</summary>
internal enum TimestampKind
{
    Unspecified,
    Utc,
    Offset,
}

internal readonly record struct WdlTimestamp(DateTime Value, TimestampKind Kind)
{
    public const string DefaultFormat = "o";

    public static bool TryParse(string text, CultureInfo culture, string? exactFormat, out WdlTimestamp timestamp)
    {
        timestamp = default;
        const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        DateTime value;
        var ok = exactFormat is null
            ? DateTime.TryParse(text, culture, styles, out value)
            : DateTime.TryParseExact(text, exactFormat, culture, styles, out value);
        if (!ok) return false;
        var kind = value.Kind != DateTimeKind.Utc
            ? TimestampKind.Unspecified
            : EndsWithZ(text) ? TimestampKind.Utc : TimestampKind.Offset;
        timestamp = new WdlTimestamp(DateTime.SpecifyKind(value, kind == TimestampKind.Unspecified ? DateTimeKind.Unspecified : DateTimeKind.Utc), kind);
        return true;
    }

    private static bool EndsWithZ(string text)
    {
        var trimmed = text.AsSpan().TrimEnd();
        return trimmed.Length > 0 && (trimmed[^1] is 'Z' or 'z' || trimmed.EndsWith("GMT", StringComparison.OrdinalIgnoreCase) || trimmed.EndsWith("UTC", StringComparison.OrdinalIgnoreCase));
    }

    public static WdlTimestamp FromUtc(DateTimeOffset instant) => new(DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Utc), TimestampKind.Utc);

    public WdlTimestamp With(DateTime value) =>
        new(DateTime.SpecifyKind(value, Kind == TimestampKind.Unspecified ? DateTimeKind.Unspecified : DateTimeKind.Utc), Kind);

    /// <summary>The instant in UTC for arithmetic across timestamps (zone-less values are taken as UTC).</summary>
    public DateTime Utc => DateTime.SpecifyKind(Value, DateTimeKind.Utc);

    /// <summary>Throws <see cref="FormatException"/> for a format .NET rejects.</summary>
    public string Format(string? format, CultureInfo culture)
    {
        format = string.IsNullOrEmpty(format) ? DefaultFormat : format;
        // 'U' converts to universal time and 'z' writes the local offset: the cloud runtime's local zone is UTC,
        // so neither may depend on this machine's zone.
        if (format == "U") return DateTime.SpecifyKind(Value, DateTimeKind.Utc).ToString(format, culture);
        if (Kind == TimestampKind.Offset || (format.Length > 1 && format.Contains('z')))
            return new DateTimeOffset(Value.Ticks, TimeSpan.Zero).ToString(format, culture);
        return Value.ToString(format, culture);
    }
}
