using System.Collections.Concurrent;
using System.Globalization;

namespace Workflows.Runtime.Expressions.Values;

/// <summary>
/// Cultures for locale arguments (default en-US, as Microsoft's runtime). Time patterns are normalised to
/// ordinary spaces: newer ICU writes U+202F before AM/PM where Windows (the cloud runtime) writes a space.
/// </summary>
internal static class WdlCulture
{
    private static readonly ConcurrentDictionary<string, CultureInfo> Cultures = new(StringComparer.OrdinalIgnoreCase);

    public static CultureInfo Default { get; } = Get("en-US");

    public static bool TryGet(string? name, out CultureInfo culture)
    {
        if (string.IsNullOrEmpty(name))
        {
            culture = Default;
            return true;
        }
        if (Cultures.TryGetValue(name, out culture!)) return true;
        try
        {
            var found = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            culture = Normalise(found);
            Cultures.TryAdd(name, culture);
            return true;
        }
        catch (CultureNotFoundException)
        {
            culture = Default;
            return false;
        }
    }

    private static CultureInfo Get(string name) =>
        Cultures.GetOrAdd(name, n => Normalise(CultureInfo.GetCultureInfo(n)));

    private static CultureInfo Normalise(CultureInfo culture)
    {
        var copy = (CultureInfo)culture.Clone();
        var format = copy.DateTimeFormat;
        format.ShortTimePattern = Spaces(format.ShortTimePattern);
        format.LongTimePattern = Spaces(format.LongTimePattern);
        format.FullDateTimePattern = Spaces(format.FullDateTimePattern);
        format.AMDesignator = Spaces(format.AMDesignator);
        format.PMDesignator = Spaces(format.PMDesignator);
        return CultureInfo.ReadOnly(copy);
    }

    private static string Spaces(string text) => text.Replace('\u202F', ' ');
}
