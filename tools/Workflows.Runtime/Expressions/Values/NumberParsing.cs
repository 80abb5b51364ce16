using System.Globalization;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>Number text the way .NET's <c>double.Parse(text, NumberStyles.Any, culture)</c> reads it: thousands
/// separators anywhere, trailing signs, leading '.' — the "unexpectedly valid" inputs Microsoft documents.</summary>
internal static class NumberParsing
{
    public static bool TryParseFloat(string text, CultureInfo culture, out double value) =>
        double.TryParse(text, NumberStyles.Any, culture, out value);

    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
