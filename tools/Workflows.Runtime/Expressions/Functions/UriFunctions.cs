using Newtonsoft.Json.Linq;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>URI parsing functions with <see cref="System.Uri"/> semantics (absolute URIs only).</summary>
internal static class UriFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("uriHost", 1, 1, static (in FunctionCall c) => new JValue(Parse(c).Host)));
        add(Define("uriPath", 1, 1, static (in FunctionCall c) => new JValue(Parse(c).AbsolutePath)));
        add(Define("uriPathAndQuery", 1, 1, static (in FunctionCall c) => new JValue(Parse(c).PathAndQuery)));
        add(Define("uriPort", 1, 1, static (in FunctionCall c) => new JValue((long)Parse(c).Port)));
        add(Define("uriQuery", 1, 1, static (in FunctionCall c) => new JValue(Parse(c).Query)));
        add(Define("uriScheme", 1, 1, static (in FunctionCall c) => new JValue(Parse(c).Scheme)));
    }

    private static Uri Parse(in FunctionCall c)
    {
        var text = c.Text(0);
        // On Linux, System.Uri reads '/path' as an implicit file URI; the cloud runtime (Windows) rejects it.
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !(uri.IsFile && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
            return uri;
        throw Errors.InvalidParameter(c.Name, $"The value '{ConversionFunctions.Shorten(text)}' is not a valid absolute URI.");
    }
}
