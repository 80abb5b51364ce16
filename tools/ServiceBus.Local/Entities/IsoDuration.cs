using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceBus.Local.Entities;

/// <summary>ISO 8601 durations as Service Bus writes them (<c>PT1M</c>, <c>P14D</c>, <c>P10675199DT2H48M5.4775807S</c>).</summary>
public static partial class IsoDuration
{
    [GeneratedRegex(@"^P(?:(?<w>\d+)W|(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Pattern().Match(text.Trim().ToUpperInvariant());
        if (!m.Success || text.Trim().EndsWith('T') || text.Trim() == "P") return false;
        if (!m.Groups["w"].Success && !m.Groups["y"].Success && !m.Groups["mo"].Success && !m.Groups["d"].Success
            && !m.Groups["h"].Success && !m.Groups["mi"].Success && !m.Groups["s"].Success) return false;
        try
        {
            // Years and months have no fixed length; Service Bus (like XmlConvert) counts 365 and 30 days.
            decimal ticks = 0;
            decimal Part(string g) => m.Groups[g].Success ? decimal.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
            ticks += Part("w") * 7 * TimeSpan.TicksPerDay;
            ticks += Part("y") * 365 * TimeSpan.TicksPerDay;
            ticks += Part("mo") * 30 * TimeSpan.TicksPerDay;
            ticks += Part("d") * TimeSpan.TicksPerDay;
            ticks += Part("h") * TimeSpan.TicksPerHour;
            ticks += Part("mi") * TimeSpan.TicksPerMinute;
            ticks += Part("s") * TimeSpan.TicksPerSecond;
            if (ticks > TimeSpan.MaxValue.Ticks) return false;
            value = TimeSpan.FromTicks((long)ticks);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static string Format(TimeSpan value) => System.Xml.XmlConvert.ToString(value);
}
