using System.Collections.Concurrent;
using System.Text;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// Template evaluation of JSON values from a workflow definition: a string starting with '@' is one
/// expression whose result keeps its type; <c>@{...}</c> anywhere interpolates text; a leading <c>@@</c> and
/// <c>@@{</c> escape. Objects and arrays are evaluated recursively; values without expressions are returned
/// as they are (not copied).
/// </summary>
public static class WdlTemplate
{
    private const int CacheLimit = 20_000;
    private static readonly ConcurrentDictionary<string, CompiledTemplate> Cache = new(StringComparer.Ordinal);

    /// <summary>True when the string needs evaluation: it starts with '@' or contains '@{'.</summary>
    public static bool IsTemplate(string value) =>
        value.Length > 0 && (value[0] == '@' || value.Contains("@{", StringComparison.Ordinal));

    public static JToken Evaluate(JToken value, IExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(scope);
        return EvaluateToken(value, scope);
    }

    /// <summary>Every expression inside the value (throws <see cref="WdlParseException"/> naming the bad one).</summary>
    public static IReadOnlyList<WdlExpression> ParseAll(JToken value)
    {
        var found = new List<WdlExpression>();
        Collect(value, found);
        return found;
    }

    private static void Collect(JToken value, List<WdlExpression> found)
    {
        switch (value.Type)
        {
            case JTokenType.String:
                var text = (string)((JValue)value).Value!;
                if (IsTemplate(text)) found.AddRange(Compile(text).Expressions);
                break;
            case JTokenType.Object:
                foreach (var property in ((JObject)value).Properties()) Collect(property.Value, found);
                break;
            case JTokenType.Array:
                foreach (var item in (JArray)value) Collect(item, found);
                break;
        }
    }

    private static JToken EvaluateToken(JToken value, IExpressionScope scope)
    {
        switch (value.Type)
        {
            case JTokenType.String:
            {
                var text = (string)((JValue)value).Value!;
                return IsTemplate(text) ? Compile(text).Evaluate(scope) : value;
            }
            case JTokenType.Object:
            {
                var obj = (JObject)value;
                JObject? copy = null;
                for (var property = (JProperty?)obj.First; property is not null; property = (JProperty?)property.Next)
                {
                    var evaluated = EvaluateToken(property.Value, scope);
                    if (copy is null && !ReferenceEquals(evaluated, property.Value))
                    {
                        copy = new JObject();
                        for (var earlier = (JProperty?)obj.First; earlier != property; earlier = (JProperty?)earlier!.Next)
                        {
                            copy.Add(earlier!.Name, JsonTree.Copy(earlier.Value));
                        }
                    }
                    copy?.Add(property.Name, Detached(evaluated, property.Value));
                }
                return copy ?? value;
            }
            case JTokenType.Array:
            {
                var array = (JArray)value;
                JArray? copy = null;
                for (var i = 0; i < array.Count; i++)
                {
                    var evaluated = EvaluateToken(array[i], scope);
                    if (copy is null && !ReferenceEquals(evaluated, array[i]))
                    {
                        copy = new JArray();
                        for (var j = 0; j < i; j++) copy.Add(JsonTree.Copy(array[j]));
                    }
                    copy?.Add(Detached(evaluated, array[i]));
                }
                return copy ?? value;
            }
            default:
                return value;
        }
    }

    // An unchanged child still belongs to the definition: the copy gets its own clone.
    private static JToken Detached(JToken evaluated, JToken original) =>
        ReferenceEquals(evaluated, original) ? JsonTree.Copy(evaluated) : JsonTree.Adoptable(evaluated);

    internal static CompiledTemplate Compile(string text)
    {
        if (Cache.TryGetValue(text, out var cached)) return cached;
        var compiled = CompiledTemplate.Create(text);
        if (Cache.Count < CacheLimit) Cache.TryAdd(text, compiled);
        return compiled;
    }

    internal sealed class CompiledTemplate
    {
        private readonly string? literal;
        private readonly WdlExpression? whole;
        private readonly object[]? parts; // string or WdlExpression

        private CompiledTemplate(string? literal, WdlExpression? whole, object[]? parts)
        {
            this.literal = literal;
            this.whole = whole;
            this.parts = parts;
        }

        public IEnumerable<WdlExpression> Expressions =>
            whole is not null ? [whole] : parts?.OfType<WdlExpression>() ?? [];

        public JToken Evaluate(IExpressionScope scope)
        {
            if (whole is not null) return whole.Evaluate(scope);
            if (literal is not null) return new JValue(literal);
            var builder = new StringBuilder();
            foreach (var part in parts!)
            {
                if (part is string s) builder.Append(s);
                else builder.Append(WdlValue.ToText(((WdlExpression)part).EvaluateRaw(scope)));
            }
            return new JValue(builder.ToString());
        }

        public static CompiledTemplate Create(string text)
        {
            if (text.StartsWith("@@", StringComparison.Ordinal)) return new CompiledTemplate(text[1..], null, null);
            if (text.Length > 0 && text[0] == '@' && (text.Length == 1 || text[1] != '{'))
                return new CompiledTemplate(null, WdlExpression.Parse(text[1..]), null);

            var parts = new List<object>();
            var pending = new StringBuilder();
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == '@' && i + 2 < text.Length + 1 && i + 1 < text.Length)
                {
                    if (text[i + 1] == '@' && i + 2 < text.Length && text[i + 2] == '{')
                    {
                        pending.Append("@{");
                        i += 3;
                        continue;
                    }
                    if (text[i + 1] == '{')
                    {
                        var close = FindClosingBrace(text, i + 2);
                        if (close < 0)
                            throw new WdlParseException(
                                $"The template language expression '{text}' is not valid: the string interpolation starting at position '{i}' is not terminated with '}}'.");
                        if (pending.Length > 0) { parts.Add(pending.ToString()); pending.Clear(); }
                        parts.Add(WdlExpression.Parse(text[(i + 2)..close]));
                        i = close + 1;
                        continue;
                    }
                }
                pending.Append(text[i]);
                i++;
            }
            if (pending.Length > 0) parts.Add(pending.ToString());
            if (parts.Count == 1 && parts[0] is string only) return new CompiledTemplate(only, null, null);
            return new CompiledTemplate(null, null, [.. parts]);
        }

        // Single-quoted literals are opaque: a '}' inside them does not close the interpolation.
        private static int FindClosingBrace(string text, int start)
        {
            var inString = false;
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\'') inString = !inString;
                else if (c == '}' && !inString) return i;
            }
            return -1;
        }
    }
}
