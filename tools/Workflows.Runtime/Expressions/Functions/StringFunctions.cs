using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>String functions (Microsoft's reference, "String functions"). Searches are ordinal;
/// indexOf/startsWith/endsWith ignore case, replace and contains do not.</summary>
internal static class StringFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("chunk", 2, 2, Chunk));
        add(Define("concat", 1, int.MaxValue, Concat));
        add(Define("endsWith", 2, 2, static (in FunctionCall c) =>
            new JValue(c.Text(0).EndsWith(c.Text(1), StringComparison.OrdinalIgnoreCase))));
        add(Define("formatNumber", 2, 3, FormatNumber));
        add(Define("guid", 0, 1, Guid));
        add(Define("indexOf", 2, 2, static (in FunctionCall c) =>
            new JValue((long)c.Text(0).IndexOf(c.Text(1), StringComparison.OrdinalIgnoreCase))));
        add(Define("isFloat", 1, 2, IsFloat));
        add(Define("isInt", 1, 1, static (in FunctionCall c) =>
            new JValue(long.TryParse(c.Text(0), NumberStyles.Integer, CultureInfo.InvariantCulture, out _))));
        add(Define("lastIndexOf", 2, 2, LastIndexOf));
        add(Define("length", 1, 1, Length));
        add(Define("nthIndexOf", 3, 3, NthIndexOf));
        add(Define("replace", 3, 3, Replace));
        add(Define("slice", 2, 3, Slice));
        add(Define("split", 2, 2, Split));
        add(Define("startsWith", 2, 2, static (in FunctionCall c) =>
            new JValue(c.Text(0).StartsWith(c.Text(1), StringComparison.OrdinalIgnoreCase))));
        add(Define("substring", 2, 3, Substring));
        add(Define("toLower", 1, 1, static (in FunctionCall c) => new JValue(c.Text(0).ToLowerInvariant())));
        add(Define("toUpper", 1, 1, static (in FunctionCall c) => new JValue(c.Text(0).ToUpperInvariant())));
        add(Define("trim", 1, 1, static (in FunctionCall c) => new JValue(c.Text(0).Trim())));
    }

    private static JToken Chunk(in FunctionCall c)
    {
        var size = c.Integer(1);
        if (size <= 0) throw c.Fail("expects its second parameter, the chunk length, to be a positive integer.");
        var result = new JArray();
        switch (c[0])
        {
            case JValue { Type: JTokenType.String } s:
                var text = (string)s.Value!;
                for (var i = 0; i < text.Length; i += (int)Math.Min(size, int.MaxValue))
                    result.Add(text.Substring(i, (int)Math.Min(size, text.Length - i)));
                return result;
            case JArray array:
                for (var i = 0; i < array.Count; i += (int)Math.Min(size, int.MaxValue))
                {
                    var piece = new JArray();
                    for (var j = i; j < Math.Min(array.Count, i + size); j++) piece.Add(array[j]);
                    result.Add(piece);
                }
                return result;
            default:
                throw c.TypeError(0, "a string or an array");
        }
    }

    private static JToken Concat(in FunctionCall c)
    {
        var builder = new StringBuilder();
        foreach (var argument in c.Arguments)
        {
            builder.Append(WdlValue.ToText(argument));
            if (builder.Length > MaximumResultLength) throw ResultTooLong(c);
        }
        return new JValue(builder.ToString());
    }

    /// <summary>Microsoft's limit for concat() and join() results.</summary>
    public const int MaximumResultLength = 104_857_600;

    internal static WdlEvaluationException ResultTooLong(in FunctionCall c) =>
        c.Fail($"cannot return a string longer than {MaximumResultLength:N0} characters.");

    private static JToken FormatNumber(in FunctionCall c)
    {
        var number = c.Number(0);
        var format = c.Text(1);
        var culture = Culture(c, 2);
        try
        {
            return new JValue(((JValue)number).Value switch
            {
                long l => l.ToString(format, culture),
                decimal m => m.ToString(format, culture),
                var other => Convert.ToDouble(other, CultureInfo.InvariantCulture).ToString(format, culture),
            });
        }
        catch (FormatException)
        {
            throw Errors.InvalidParameter(c.Name, $"The format '{format}' is not a valid .NET numeric format string.");
        }
    }

    internal static CultureInfo Culture(in FunctionCall c, int index)
    {
        var name = c.OptionalText(index);
        if (WdlCulture.TryGet(name, out var culture)) return culture;
        throw Errors.InvalidParameter(c.Name, $"The locale '{name}' is not a valid culture name.");
    }

    private static JToken Guid(in FunctionCall c)
    {
        var format = c.OptionalText(0) ?? "D";
        if (format.Length != 1 || "NDBPXndbpx".IndexOf(format[0]) < 0)
            throw Errors.InvalidParameter(c.Name, $"The format '{format}' is not one of 'N', 'D', 'B', 'P', 'X'.");
        System.Guid guid;
        if (c.Scope.Random is { } random)
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
            guid = new System.Guid(bytes);
        }
        else
        {
            guid = System.Guid.NewGuid();
        }
        return new JValue(guid.ToString(format));
    }

    private static JToken IsFloat(in FunctionCall c)
    {
        var culture = Culture(c, 1);
        return new JValue(c[0].Type == JTokenType.String && NumberParsing.TryParseFloat(c.Text(0), culture, out _));
    }

    private static JToken LastIndexOf(in FunctionCall c)
    {
        var text = c.Text(0);
        var search = c.Text(1);
        if (search.Length == 0) return new JValue(text.Length == 0 ? 0L : text.Length - 1L);
        if (text.Length == 0) return new JValue(-1L);
        return new JValue((long)text.LastIndexOf(search, StringComparison.OrdinalIgnoreCase));
    }

    private static JToken Length(in FunctionCall c) => c[0] switch
    {
        JValue { Type: JTokenType.String } s => new JValue((long)((string)s.Value!).Length),
        JArray array => new JValue((long)array.Count),
        _ => throw c.TypeError(0, "an array or a string"),
    };

    private static JToken NthIndexOf(in FunctionCall c)
    {
        var text = c.Text(0);
        var search = c.Text(1);
        var occurrence = c.Integer(2);
        if (occurrence == 0) throw c.Fail("expects its third parameter, the occurrence, to be a non-zero integer.");
        if (search.Length == 0) return new JValue(occurrence > 0 ? 0L : (long)text.Length);
        var found = -1;
        if (occurrence > 0)
        {
            var start = 0;
            for (var n = 0; n < occurrence; n++)
            {
                found = start <= text.Length ? text.IndexOf(search, start, StringComparison.OrdinalIgnoreCase) : -1;
                if (found < 0) return new JValue(-1L);
                start = found + 1;
            }
        }
        else
        {
            var end = text.Length - 1;
            for (var n = 0; n < -occurrence; n++)
            {
                found = end >= 0 ? text.LastIndexOf(search, end, StringComparison.OrdinalIgnoreCase) : -1;
                if (found < 0) return new JValue(-1L);
                end = found + search.Length - 2;
            }
        }
        return new JValue((long)found);
    }

    private static JToken Replace(in FunctionCall c)
    {
        var text = c.Text(0);
        var old = c.Text(1);
        if (old.Length == 0) throw c.Fail("expects its second parameter, the text to replace, to be a non-empty string.");
        return new JValue(text.Replace(old, c.AnyText(2), StringComparison.Ordinal));
    }

    private static JToken Slice(in FunctionCall c)
    {
        var text = c.Text(0);
        var length = (long)text.Length;
        var start = c.Integer(1);
        var end = c.Has(2) && !WdlValue.IsNull(c[2]) ? c.Integer(2) : length;
        start = start < 0 ? Math.Max(0, length + start) : Math.Min(start, length);
        end = end < 0 ? Math.Max(0, length + end) : Math.Min(end, length);
        return new JValue(end <= start ? string.Empty : text.Substring((int)start, (int)(end - start)));
    }

    private static JToken Split(in FunctionCall c)
    {
        var text = c.Text(0);
        var delimiter = c.Text(1);
        var result = new JArray();
        foreach (var part in text.Split(delimiter, StringSplitOptions.None)) result.Add(part);
        return result;
    }

    private static JToken Substring(in FunctionCall c)
    {
        var text = c.Text(0);
        var start = c.Integer(1);
        var length = c.Has(2) && !WdlValue.IsNull(c[2]) ? c.Integer(2) : text.Length - start;
        if (start < 0 || start > text.Length || length < 0 || start + length > text.Length)
            throw c.Fail($"parameters are out of range: 'start index' and 'length' must be non-negative integers and their sum must be no larger than the length of the string. The start index is '{start}', the length is '{length}' and the string length is '{text.Length}'.");
        return new JValue(text.Substring((int)start, (int)length));
    }
}
