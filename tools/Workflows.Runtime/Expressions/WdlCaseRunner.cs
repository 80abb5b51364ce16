using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// Evaluates a file of cases (<c>[{kind: expression|template, expression, context?}, ...]</c>, extra fields
/// ignored) and writes a JSON array of the same length and order: <c>{"value": ...}</c> or
/// <c>{"error": "..."}</c>. The core of <c>orders wdl eval --cases FILE</c>; writes nothing else to stdout.
/// </summary>
public static class WdlCaseRunner
{
    public const int Ok = 0;
    public const int BadInput = 2;

    public static int Run(string casesPath, TextWriter stdout, TextWriter stderr)
    {
        string text;
        try
        {
            text = File.ReadAllText(casesPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"wdl eval: cannot read the cases file '{casesPath}': {ex.Message}");
            return BadInput;
        }
        return RunText(text, casesPath, stdout, stderr);
    }

    public static int RunText(string json, string sourceName, TextWriter stdout, TextWriter stderr)
    {
        JArray cases;
        try
        {
            cases = JsonContent.Parse(json) as JArray
                ?? throw new JsonReaderException("The top-level value must be a JSON array of cases.");
        }
        catch (JsonException ex)
        {
            stderr.WriteLine($"wdl eval: '{sourceName}' is not a JSON array of cases: {ex.Message}");
            return BadInput;
        }

        var results = new JArray();
        for (var i = 0; i < cases.Count; i++)
        {
            // A malformed entry answers for itself, so the output keeps the input's length and order.
            if (cases[i] is not JObject testCase || testCase["expression"] is not JValue { Type: JTokenType.String } expression)
            {
                results.Add(new JObject { ["error"] = $"case {i}: needs an 'expression' string." });
                continue;
            }
            var kind = (string?)testCase["kind"] ?? "expression";
            if (kind is not ("expression" or "template"))
            {
                results.Add(new JObject { ["error"] = $"case {i}: kind '{kind}' is not 'expression' or 'template'." });
                continue;
            }
            results.Add(Evaluate(kind, (string)expression.Value!, testCase["context"] as JObject));
        }

        using var writer = new JsonTextWriter(stdout) { Formatting = Formatting.Indented, CloseOutput = false };
        results.WriteTo(writer);
        writer.Flush();
        stdout.WriteLine();
        return Ok;
    }

    /// <summary>One case: <c>{"value": result}</c> or <c>{"error": message}</c>.</summary>
    public static JObject Evaluate(string kind, string expression, JObject? context)
    {
        try
        {
            var scope = StaticExpressionScope.FromContext(context);
            var value = kind == "template"
                ? WdlTemplate.Evaluate(new JValue(expression), scope)
                : WdlExpression.Parse(expression).Evaluate(scope);
            return new JObject { ["value"] = value.Parent is null ? value : value.DeepClone() };
        }
        catch (WdlExpressionException ex)
        {
            return new JObject { ["error"] = ex.Message };
        }
        catch (ArgumentException ex)
        {
            return new JObject { ["error"] = ex.Message };
        }
    }
}
