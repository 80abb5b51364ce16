using System.Globalization;
using System.Text;
using System.Xml;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Conversion functions: text, numbers, booleans, JSON, XML, base64, data URIs, URI components and
/// binary content envelopes.</summary>
internal static class ConversionFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("array", 1, 1, static (in FunctionCall c) => ArrayOf([c[0]])));
        add(Define("base64", 1, 1, static (in FunctionCall c) =>
            new JValue(BinaryContent.TryRead(c[0], out var b) ? b.Base64 : Convert.ToBase64String(Encoding.UTF8.GetBytes(c.AnyText(0))))));
        add(Define("base64ToBinary", 1, 1, static (in FunctionCall c) =>
            BinaryContent.FromBytes(BinaryContent.OctetStream, DecodeBase64(c, c.Text(0))).ToToken()));
        add(Define("base64ToString", 1, 1, Base64ToString));
        add(Define("decodeBase64", 1, 1, Base64ToString));
        add(Define("binary", 1, 1, static (in FunctionCall c) =>
            BinaryContent.TryRead(c[0], out var b) ? b.ToToken() : BinaryContent.FromText(BinaryContent.OctetStream, c.AnyText(0)).ToToken()));
        add(Define("bool", 1, 1, Bool));
        add(Define("createArray", 1, int.MaxValue, static (in FunctionCall c) => ArrayOf(c.Arguments)));
        add(Define("dataUri", 1, 1, DataUri));
        add(Define("dataUriToBinary", 1, 1, static (in FunctionCall c) =>
        {
            var (mediaType, bytes) = ReadDataUri(c, c.Text(0));
            return BinaryContent.FromBytes(mediaType, bytes).ToToken();
        }));
        add(Define("dataUriToString", 1, 1, DataUriToString));
        add(Define("decodeDataUri", 1, 1, DataUriToString));
        add(Define("decimal", 1, 1, Decimal));
        add(Define("decodeUriComponent", 1, 1, UriComponentToString));
        add(Define("uriComponentToString", 1, 1, UriComponentToString));
        add(Define("encodeUriComponent", 1, 1, UriComponent));
        add(Define("uriComponent", 1, 1, UriComponent));
        add(Define("uriComponentToBinary", 1, 1, static (in FunctionCall c) =>
            BinaryContent.FromText(BinaryContent.OctetStream, Unescape(c, c.AnyText(0))).ToToken()));
        add(Define("float", 1, 2, Float));
        add(Define("int", 1, 1, Int));
        add(Define("json", 1, 1, Json));
        add(Define("string", 1, 1, static (in FunctionCall c) => new JValue(c.AnyText(0))));
        add(Define("xml", 1, 1, Xml));
    }

    private static JArray ArrayOf(JToken[] items)
    {
        var array = new JArray();
        foreach (var item in items) array.Add(item);
        return array;
    }

    private static byte[] DecodeBase64(in FunctionCall c, string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Errors.InvalidParameter(c.Name, $"The value '{Shorten(text)}' is not a valid base64 string.");
        }
    }

    private static JToken Base64ToString(in FunctionCall c)
    {
        if (BinaryContent.TryRead(c[0], out var binary)) return new JValue(binary.Text);
        return new JValue(Encoding.UTF8.GetString(DecodeBase64(c, c.Text(0))));
    }

    private static JToken Bool(in FunctionCall c)
    {
        var value = c[0];
        switch (value.Type)
        {
            case JTokenType.Boolean:
                return new JValue((bool)((JValue)value).Value!);
            case JTokenType.Integer:
            case JTokenType.Float:
                return new JValue(WdlValue.AsDouble(value) != 0);
            case JTokenType.String:
                var text = ((string)((JValue)value).Value!).Trim();
                if (bool.TryParse(text, out var parsed)) return new JValue(parsed);
                throw Errors.InvalidParameter(c.Name, $"The value '{Shorten(text)}' cannot be converted to a boolean.");
            default:
                throw c.TypeError(0, "a boolean, a number or a string");
        }
    }

    private static JToken DataUri(in FunctionCall c)
    {
        if (BinaryContent.TryRead(c[0], out var binary)) return new JValue($"data:{binary.ContentType};base64,{binary.Base64}");
        return new JValue("data:text/plain;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(c.AnyText(0))));
    }

    private static JToken DataUriToString(in FunctionCall c)
    {
        var (_, bytes) = ReadDataUri(c, c.Text(0));
        return new JValue(Encoding.UTF8.GetString(bytes));
    }

    /// <summary><c>data:[media type][;base64],data</c> (RFC 2397).</summary>
    internal static (string MediaType, byte[] Bytes) ReadDataUri(in FunctionCall c, string uri)
    {
        var comma = uri.IndexOf(',');
        if (!uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || comma < 0)
            throw Errors.InvalidParameter(c.Name, $"The value '{Shorten(uri)}' is not a valid data URI.");
        var header = uri[5..comma];
        var data = uri[(comma + 1)..];
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var mediaType = isBase64 ? header[..^7] : header;
        if (mediaType.Length == 0) mediaType = "text/plain;charset=US-ASCII";
        var bytes = isBase64 ? DecodeBase64(c, data) : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(data));
        return (mediaType, bytes);
    }

    private static JToken Decimal(in FunctionCall c)
    {
        var value = c[0];
        if (WdlValue.IsNumber(value)) return new JValue(WdlValue.AsDecimal(value));
        var text = c.Text(0);
        if (decimal.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var parsed))
            return new JValue(parsed);
        throw Errors.InvalidParameter(c.Name, $"The value '{Shorten(text)}' cannot be converted to a decimal number.");
    }

    private static JToken UriComponent(in FunctionCall c) => new JValue(Uri.EscapeDataString(c.AnyText(0)));

    private static JToken UriComponentToString(in FunctionCall c) => new JValue(Unescape(c, c.AnyText(0)));

    private static string Unescape(in FunctionCall c, string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw Errors.InvalidParameter(c.Name, $"The value '{Shorten(text)}' is not a valid URI component.");
        }
    }

    private static JToken Float(in FunctionCall c)
    {
        var culture = StringFunctions.Culture(c, 1);
        var value = c[0];
        if (WdlValue.IsNumber(value)) return new JValue(WdlValue.AsDouble(value));
        var text = c.Text(0);
        if (NumberParsing.TryParseFloat(text, culture, out var parsed)) return new JValue(parsed);
        throw Errors.InvalidParameter(c.Name, $"The value '{Shorten(text)}' cannot be converted to a floating point number.");
    }

    private static JToken Int(in FunctionCall c)
    {
        var value = c[0];
        switch (value.Type)
        {
            case JTokenType.Integer:
                return new JValue(WdlValue.AsLong(value));
            case JTokenType.Float:
                var d = WdlValue.AsDouble(value);
                if (Math.Floor(d) == d && d >= long.MinValue && d <= long.MaxValue) return new JValue((long)d);
                throw Errors.InvalidParameter(c.Name, "The value cannot be converted to the target type.");
            case JTokenType.String:
                if (NumberParsing.TryParseInteger((string)((JValue)value).Value!, out var parsed)) return new JValue(parsed);
                throw Errors.InvalidParameter(c.Name, "The value cannot be converted to the target type.");
            default:
                throw c.TypeError(0, "a string or a number");
        }
    }

    private static JToken Json(in FunctionCall c)
    {
        var value = c[0];
        if (WdlValue.IsNull(value)) return new JObject();
        if (BinaryContent.TryRead(value, out var binary))
        {
            var text = binary.Text;
            return binary.IsXml || text.TrimStart().StartsWith('<') ? XmlToJson(c, text) : ParseJson(c, text);
        }
        return value.Type == JTokenType.String ? ParseJson(c, (string)((JValue)value).Value!) : value;
    }

    private static JToken ParseJson(in FunctionCall c, string text)
    {
        try
        {
            return JsonContent.Parse(text);
        }
        catch (JsonException ex)
        {
            throw Errors.InvalidParameter(c.Name, $"The provided value '{Shorten(text)}' cannot be parsed: '{ex.Message}'.");
        }
    }

    private static JToken XmlToJson(in FunctionCall c, string text)
    {
        try
        {
            return XmlContent.ToJson(text);
        }
        catch (Exception ex) when (ex is XmlException or JsonException)
        {
            throw Errors.InvalidParameter(c.Name, $"The provided XML cannot be converted to JSON: '{ex.Message}'.");
        }
    }

    private static JToken Xml(in FunctionCall c)
    {
        var value = c[0];
        if (BinaryContent.TryRead(value, out var binary)) return Xml(c, binary.Text);
        switch (value)
        {
            case JValue { Type: JTokenType.String } s:
                return Xml(c, (string)s.Value!);
            case JObject obj:
                if (obj.Count != 1 || obj.Properties().First().Value is JArray)
                    throw Errors.InvalidParameter(c.Name, "To convert JSON to XML the value must be an object with exactly one root property whose value is not an array.");
                try
                {
                    return XmlContent.ToToken(XmlContent.FromJson(obj));
                }
                catch (Exception ex) when (ex is XmlException or JsonException)
                {
                    throw Errors.InvalidParameter(c.Name, $"The JSON value cannot be converted to XML: '{ex.Message}'.");
                }
            default:
                throw Errors.InvalidParameter(c.Name, $"A value of type '{WdlValue.TypeName(value)}' cannot be converted to XML; provide XML text or a JSON object with a single root property.");
        }
    }

    private static JToken Xml(in FunctionCall c, string text)
    {
        try
        {
            XmlContent.Load(text);
        }
        catch (XmlException ex)
        {
            throw Errors.InvalidParameter(c.Name, $"The provided value cannot be parsed as XML: '{ex.Message}'.");
        }
        return XmlContent.ToToken(text);
    }

    internal static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "...";
}
