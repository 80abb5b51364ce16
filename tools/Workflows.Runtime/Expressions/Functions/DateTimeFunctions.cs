using System.Globalization;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>
/// Date and time functions. Timestamps are text parsed with .NET rules; results are written with .NET format
/// strings (default 'o') in en-US unless a locale is given. Time zones are Windows ids ('Pacific Standard
/// Time'), resolved with <see cref="TimeZoneInfo"/> (which on Linux maps them to IANA zones).
/// </summary>
internal static class DateTimeFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("addDays", 2, 3, static (in FunctionCall c) => Add(c, TimeUnit.Day)));
        add(Define("addHours", 2, 3, static (in FunctionCall c) => Add(c, TimeUnit.Hour)));
        add(Define("addMinutes", 2, 3, static (in FunctionCall c) => Add(c, TimeUnit.Minute)));
        add(Define("addSeconds", 2, 3, static (in FunctionCall c) => Add(c, TimeUnit.Second)));
        add(Define("addToTime", 3, 4, static (in FunctionCall c) => AddInterval(c, sign: 1)));
        add(Define("subtractFromTime", 3, 4, static (in FunctionCall c) => AddInterval(c, sign: -1)));
        add(Define("convertFromUtc", 2, 3, ConvertFromUtc));
        add(Define("convertTimeZone", 3, 4, ConvertTimeZone));
        add(Define("convertToUtc", 2, 3, ConvertToUtc));
        add(Define("dateDifference", 2, 2, DateDifference));
        add(Define("dayOfMonth", 1, 1, static (in FunctionCall c) => new JValue((long)Timestamp(c, 0).Value.Day)));
        add(Define("dayOfWeek", 1, 1, static (in FunctionCall c) => new JValue((long)Timestamp(c, 0).Value.DayOfWeek)));
        add(Define("dayOfYear", 1, 1, static (in FunctionCall c) => new JValue((long)Timestamp(c, 0).Value.DayOfYear)));
        add(Define("formatDateTime", 1, 3, FormatDateTime));
        add(Define("getFutureTime", 2, 3, static (in FunctionCall c) => Relative(c, sign: 1)));
        add(Define("getPastTime", 2, 3, static (in FunctionCall c) => Relative(c, sign: -1)));
        add(Define("parseDateTime", 1, 3, ParseDateTime));
        add(Define("startOfDay", 1, 2, static (in FunctionCall c) =>
        {
            var t = Timestamp(c, 0);
            return Write(c, t.With(t.Value.Date), 1);
        }));
        add(Define("startOfHour", 1, 2, static (in FunctionCall c) =>
        {
            var t = Timestamp(c, 0);
            return Write(c, t.With(new DateTime(t.Value.Year, t.Value.Month, t.Value.Day, t.Value.Hour, 0, 0)), 1);
        }));
        add(Define("startOfMonth", 1, 2, static (in FunctionCall c) =>
        {
            var t = Timestamp(c, 0);
            return Write(c, t.With(new DateTime(t.Value.Year, t.Value.Month, 1)), 1);
        }));
        add(Define("ticks", 1, 1, static (in FunctionCall c) => new JValue(Timestamp(c, 0).Value.Ticks)));
        add(Define("utcNow", 0, 1, static (in FunctionCall c) => Write(c, WdlTimestamp.FromUtc(c.Scope.UtcNow), 0)));
    }

    private enum TimeUnit { Second, Minute, Hour, Day, Week, Month, Year }

    internal static WdlTimestamp Timestamp(in FunctionCall c, int index)
    {
        var text = c.Text(index);
        if (WdlTimestamp.TryParse(text, CultureInfo.InvariantCulture, null, out var timestamp)) return timestamp;
        throw Errors.InvalidParameter(c.Name, $"The value provided for date time string '{ConversionFunctions.Shorten(text)}' was not valid. The datetime string must match ISO 8601 format.");
    }

    /// <summary>Writes the result with the optional format argument at <paramref name="formatIndex"/>.</summary>
    private static JToken Write(in FunctionCall c, WdlTimestamp timestamp, int formatIndex, CultureInfo? culture = null)
    {
        var format = c.OptionalText(formatIndex);
        try
        {
            return new JValue(timestamp.Format(format, culture ?? WdlCulture.Default));
        }
        catch (FormatException)
        {
            throw Errors.InvalidParameter(c.Name, $"The format '{format}' is not a valid .NET date and time format string.");
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Errors.InvalidParameter(c.Name, "The resulting date is outside the range of dates supported by the calendar.");
        }
    }

    private static JToken Add(in FunctionCall c, TimeUnit unit)
    {
        var timestamp = Timestamp(c, 0);
        var amount = c.Integer(1);
        return Write(c, Shift(c, timestamp, amount, unit), 2);
    }

    private static JToken AddInterval(in FunctionCall c, int sign)
    {
        var timestamp = Timestamp(c, 0);
        var amount = c.Integer(1) * sign;
        var unit = Unit(c, 2);
        return Write(c, Shift(c, timestamp, amount, unit), 3);
    }

    private static JToken Relative(in FunctionCall c, int sign)
    {
        var amount = c.Integer(0) * sign;
        var unit = Unit(c, 1);
        return Write(c, Shift(c, WdlTimestamp.FromUtc(c.Scope.UtcNow), amount, unit), 2);
    }

    private static TimeUnit Unit(in FunctionCall c, int index)
    {
        var text = c.Text(index).Trim();
        var singular = text.EndsWith('s') || text.EndsWith('S') ? text[..^1] : text;
        if (Enum.TryParse<TimeUnit>(singular, ignoreCase: true, out var unit) && !int.TryParse(singular, out _)) return unit;
        throw Errors.InvalidParameter(c.Name, $"The time unit '{text}' is not valid; use one of 'Second', 'Minute', 'Hour', 'Day', 'Week', 'Month', 'Year'.");
    }

    private static WdlTimestamp Shift(in FunctionCall c, WdlTimestamp timestamp, long amount, TimeUnit unit)
    {
        try
        {
            var value = timestamp.Value;
            var shifted = unit switch
            {
                TimeUnit.Second => value.AddSeconds(amount),
                TimeUnit.Minute => value.AddMinutes(amount),
                TimeUnit.Hour => value.AddHours(amount),
                TimeUnit.Day => value.AddDays(amount),
                TimeUnit.Week => value.AddDays(amount * 7.0),
                TimeUnit.Month => value.AddMonths(checked((int)amount)),
                _ => value.AddYears(checked((int)amount)),
            };
            return timestamp.With(shifted);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            throw Errors.InvalidParameter(c.Name, "The resulting date is outside the range of dates supported by the calendar.");
        }
    }

    internal static TimeZoneInfo Zone(in FunctionCall c, int index)
    {
        var id = c.Text(index);
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw Errors.InvalidParameter(c.Name, $"The time zone '{id}' is not valid; use a Windows time zone id such as 'Pacific Standard Time'.");
        }
    }

    private static bool IsUtc(TimeZoneInfo zone) =>
        zone.Id is "UTC" or "Etc/UTC" or "Etc/UCT" or "Coordinated Universal Time" or "Etc/GMT" || ReferenceEquals(zone, TimeZoneInfo.Utc);

    private static JToken Convert(in FunctionCall c, WdlTimestamp timestamp, TimeZoneInfo source, TimeZoneInfo destination, int formatIndex)
    {
        if (timestamp.Kind != TimestampKind.Unspecified && !IsUtc(source))
            throw Errors.InvalidParameter(c.Name, $"The timestamp '{c.Text(0)}' carries a UTC offset, which conflicts with the source time zone '{source.Id}'; give the timestamp without 'Z' or an offset.");
        DateTime converted;
        try
        {
            converted = TimeZoneInfo.ConvertTime(DateTime.SpecifyKind(timestamp.Value, DateTimeKind.Unspecified), source, destination);
        }
        catch (ArgumentException ex)
        {
            throw Errors.InvalidParameter(c.Name, $"The timestamp cannot be converted: {ex.Message}");
        }
        var kind = IsUtc(destination) ? TimestampKind.Utc : TimestampKind.Unspecified;
        return Write(c, new WdlTimestamp(DateTime.SpecifyKind(converted, kind == TimestampKind.Utc ? DateTimeKind.Utc : DateTimeKind.Unspecified), kind), formatIndex);
    }

    private static JToken ConvertFromUtc(in FunctionCall c) =>
        Convert(c, Timestamp(c, 0), TimeZoneInfo.Utc, Zone(c, 1), 2);

    private static JToken ConvertTimeZone(in FunctionCall c) =>
        Convert(c, Timestamp(c, 0), Zone(c, 1), Zone(c, 2), 3);

    private static JToken ConvertToUtc(in FunctionCall c) =>
        Convert(c, Timestamp(c, 0), Zone(c, 1), TimeZoneInfo.Utc, 2);

    private static JToken DateDifference(in FunctionCall c)
    {
        var start = Timestamp(c, 0);
        var end = Timestamp(c, 1);
        return new JValue((end.Utc - start.Utc).ToString("c", CultureInfo.InvariantCulture));
    }

    private static JToken FormatDateTime(in FunctionCall c)
    {
        var timestamp = Timestamp(c, 0);
        var culture = StringFunctions.Culture(c, 2);
        return Write(c, timestamp, 1, culture);
    }

    private static JToken ParseDateTime(in FunctionCall c)
    {
        var text = c.Text(0);
        var culture = StringFunctions.Culture(c, 1);
        var format = c.OptionalText(2);
        bool ok;
        WdlTimestamp timestamp;
        try
        {
            ok = WdlTimestamp.TryParse(text, culture, format, out timestamp);
        }
        catch (FormatException)
        {
            throw Errors.InvalidParameter(c.Name, $"The format '{format}' is not a valid .NET date and time format string.");
        }
        if (!ok)
            throw Errors.InvalidParameter(c.Name, $"The value provided for date time string '{ConversionFunctions.Shorten(text)}' could not be parsed{(format is null ? "" : $" with the format '{format}'")} in the locale '{culture.Name}'.");
        try
        {
            return new JValue(timestamp.Format(WdlTimestamp.DefaultFormat, CultureInfo.InvariantCulture));
        }
        catch (FormatException)
        {
            throw Errors.InvalidParameter(c.Name, "The parsed value cannot be written as a timestamp.");
        }
    }
}
