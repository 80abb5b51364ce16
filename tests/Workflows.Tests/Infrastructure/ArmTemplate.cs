using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// Just enough of Azure Resource Manager's template language to expand <c>deploy/infra/main.json</c> offline:
/// parameters (values from parameter files or defaults), variables, resource <c>copy</c> loops and the template
/// functions the template uses. Values only Azure knows at deployment time (<c>reference</c>, <c>listKeys</c>,
/// <c>uniqueString</c>, <c>guid</c>) become readable symbols such as <c>reference(/subscriptions/…/id-orders-publisher).principalId</c>,
/// so tests can check which identity, role and scope each assignment names. An unknown function is an error: the
/// tests must not pass on something they did not understand.
/// </summary>
public sealed class ArmTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string ResourceGroupName = "rg-orders-test";

    private readonly JObject template;
    private readonly Dictionary<string, JToken> parameterValues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JToken> variableCache = new(StringComparer.OrdinalIgnoreCase);

    public ArmTemplate(JObject template, params JObject[] parameterFiles)
    {
        this.template = template;
        foreach (var file in parameterFiles)
        {
            foreach (var p in (file["parameters"] as JObject ?? []).Properties())
            {
                parameterValues[p.Name] = p.Value["value"]?.DeepClone() ?? JValue.CreateNull();
            }
        }
    }

    public JObject Json => template;

    /// <summary>Every resource after copy loops, with names, scopes and properties evaluated.</summary>
    public IReadOnlyList<ArmResource> ExpandResources()
    {
        var result = new List<ArmResource>();
        foreach (var resource in (template["resources"] as JArray ?? []).OfType<JObject>())
        {
            if (resource["copy"] is JObject copy)
            {
                var count = Convert.ToInt32(((JValue)Evaluate(copy["count"]!, null)).Value, CultureInfo.InvariantCulture);
                for (var i = 0; i < count; i++) result.Add(ToResource(resource, i));
            }
            else
            {
                result.Add(ToResource(resource, null));
            }
        }
        return result;
    }

    public JToken Variable(string name) => VariableValue(name);

    private ArmResource ToResource(JObject resource, int? copyIndex)
    {
        var evaluated = (JObject)Evaluate(resource, copyIndex);
        return new ArmResource(
            (string)evaluated["type"]!,
            (string)evaluated["name"]!,
            evaluated.Value<string>("scope"),
            evaluated);
    }

    /// <summary>Evaluates every expression string inside <paramref name="token"/> (property names included).</summary>
    public JToken Evaluate(JToken token, int? copyIndex) => token switch
    {
        JObject obj => new JObject(obj.Properties().Select(p =>
            new JProperty(IsExpression(p.Name) ? ToText(EvaluateExpression(p.Name, copyIndex)) : p.Name, Evaluate(p.Value, copyIndex)))),
        JArray array => new JArray(array.Select(item => Evaluate(item, copyIndex))),
        JValue { Type: JTokenType.String } value when IsExpression((string)value!) => EvaluateExpression((string)value!, copyIndex),
        JValue { Type: JTokenType.String } value when ((string)value!).StartsWith("[[", StringComparison.Ordinal) => new JValue(((string)value!)[1..]),
        _ => token.DeepClone(),
    };

    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    public JToken EvaluateExpression(string expression, int? copyIndex)
    {
        var parser = new Parser(expression[1..^1], this, copyIndex);
        var value = parser.ParseExpression();
        parser.ExpectEnd();
        return value;
    }

    private JToken ParameterValue(string name)
    {
        if (parameterValues.TryGetValue(name, out var value)) return value;
        var declaration = template["parameters"]?[name] as JObject
            ?? throw new ArmEvaluationException($"parameters('{name}') is not declared.");
        if (declaration["defaultValue"] is { } defaultValue)
        {
            var evaluated = Evaluate(defaultValue, null);
            parameterValues[name] = evaluated;
            return evaluated;
        }
        // A required parameter without a value (a secret): a symbol, never a real value.
        return new JValue($"<parameter {name}>");
    }

    private JToken VariableValue(string name)
    {
        if (variableCache.TryGetValue(name, out var cached)) return cached;
        var declaration = template["variables"]?[name] ?? throw new ArmEvaluationException($"variables('{name}') is not declared.");
        var value = Evaluate(declaration, null);
        variableCache[name] = value;
        return value;
    }

    internal static string ToText(JToken token) => token.Type switch
    {
        JTokenType.String => (string)token!,
        JTokenType.Integer or JTokenType.Float or JTokenType.Boolean => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)!,
        JTokenType.Null => "",
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    private static string ResourceId(string scope, IReadOnlyList<string> args)
    {
        var type = args[0];
        var names = args.Skip(1).ToArray();
        var typeSegments = type.Split('/');
        if (typeSegments.Length - 1 != names.Length)
        {
            throw new ArmEvaluationException($"resourceId('{type}', ...) needs {typeSegments.Length - 1} names, got {names.Length}.");
        }
        var path = new StringBuilder($"{scope}/providers/{typeSegments[0]}");
        for (var i = 0; i < names.Length; i++) path.Append('/').Append(typeSegments[i + 1]).Append('/').Append(names[i]);
        return path.ToString();
    }

    private JToken Call(string function, IReadOnlyList<JToken> args, int? copyIndex)
    {
        string Text(int i) => ToText(args[i]);
        switch (function.ToLowerInvariant())
        {
            case "parameters": return ParameterValue(Text(0));
            case "variables": return VariableValue(Text(0));
            case "copyindex":
                if (copyIndex is null) throw new ArmEvaluationException("copyIndex() outside a copy loop.");
                return new JValue(copyIndex.Value + (args.Count > 0 && args[^1].Type == JTokenType.Integer ? (int)args[^1] : 0));
            case "concat":
                return args.Count > 0 && args.All(a => a is JArray)
                    ? new JArray(args.SelectMany(a => (JArray)a))
                    : new JValue(string.Concat(args.Select(ToText)));
            case "format":
                return new JValue(string.Format(CultureInfo.InvariantCulture, Text(0), args.Skip(1).Select(a => (object)ToText(a)).ToArray()));
            case "resourceid":
                return new JValue(ResourceId($"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}", args.Select(ToText).ToArray()));
            case "subscriptionresourceid":
                return new JValue(ResourceId($"/subscriptions/{SubscriptionId}", args.Select(ToText).ToArray()));
            case "reference":
                return new JValue($"reference({Text(0)})");
            case "listkeys":
                return new JValue($"listKeys({Text(0)})");
            case "guid":
                return new JValue($"guid({string.Join(",", args.Select(ToText))})");
            case "uniquestring":
                return new JValue(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(ToText)))))[..13].ToLowerInvariant());
            case "resourcegroup":
                return new JObject
                {
                    ["id"] = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}",
                    ["name"] = ResourceGroupName,
                    ["location"] = "westeurope",
                };
            case "subscription":
                return new JObject { ["subscriptionId"] = SubscriptionId, ["tenantId"] = "00000000-0000-0000-0000-0000000000bb" };
            case "environment":
                return new JObject
                {
                    ["resourceManager"] = "https://management.azure.com/",
                    ["suffixes"] = new JObject { ["storage"] = "core.windows.net" },
                };
            case "tolower": return new JValue(Text(0).ToLowerInvariant());
            case "take":
                return args[0] is JArray takeArray
                    ? new JArray(takeArray.Take((int)args[1]))
                    : new JValue(new string(Text(0).Take((int)args[1]).ToArray()));
            case "length":
                return new JValue(args[0] switch { JArray a => a.Count, JObject o => o.Count, var v => ToText(v).Length });
            case "string": return new JValue(ToText(args[0]));
            case "json": return Text(0) == "null" ? JValue.CreateNull() : JToken.Parse(Text(0));
            case "empty":
                return new JValue(args[0] switch { JArray a => a.Count == 0, JObject o => o.Count == 0, { Type: JTokenType.Null } => true, var v => ToText(v).Length == 0 });
            case "equals": return new JValue(JToken.DeepEquals(args[0], args[1]));
            case "if": return ((bool)args[0]) ? args[1] : args[2];
            case "createarray": return new JArray(args.Select(a => a.DeepClone()));
            case "createobject":
                var created = new JObject();
                for (var i = 0; i + 1 < args.Count; i += 2) created[Text(i)] = args[i + 1].DeepClone();
                return created;
            case "union":
                var merged = new JObject();
                foreach (var o in args.Cast<JObject>()) merged.Merge(o, new JsonMergeSettings { MergeArrayHandling = MergeArrayHandling.Replace });
                return merged;
            case "contains":
                return new JValue(args[0] switch { JObject o => o.ContainsKey(Text(1)), JArray a => a.Any(x => JToken.DeepEquals(x, args[1])), var v => ToText(v).Contains(Text(1), StringComparison.Ordinal) });
            default:
                throw new ArmEvaluationException($"The test's ARM evaluator doesn't know the function '{function}'. Add it (or avoid it in the template).");
        }
    }

    private static JToken Member(JToken target, string name) => target switch
    {
        JObject obj => obj.TryGetValue(name, StringComparison.Ordinal, out var value)
            ? value
            : throw new ArmEvaluationException($"The object has no property '{name}'."),
        // A symbol (reference(), listKeys()) stays a symbol: reference(x).principalId.
        JValue { Type: JTokenType.String } symbol => new JValue($"{(string)symbol!}.{name}"),
        _ => throw new ArmEvaluationException($"Cannot read '{name}' of a {target.Type}."),
    };

    private static JToken Index(JToken target, JToken index) => target switch
    {
        JArray array when index.Type == JTokenType.Integer => (int)index < array.Count
            ? array[(int)index]
            : throw new ArmEvaluationException($"Index {(int)index} is outside an array of {array.Count}."),
        JObject => Member(target, ToText(index)),
        JValue { Type: JTokenType.String } symbol => new JValue($"{(string)symbol!}[{ToText(index)}]"),
        _ => throw new ArmEvaluationException($"Cannot index a {target.Type}."),
    };

    private sealed class Parser(string text, ArmTemplate owner, int? copyIndex)
    {
        private int position;

        public JToken ParseExpression()
        {
            SkipSpace();
            JToken value;
            if (Peek() == '\'')
            {
                value = new JValue(ReadString());
            }
            else if (char.IsDigit(Peek()) || Peek() == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsDigit(text[position])) position++;
                value = new JValue(long.Parse(text[start..position], CultureInfo.InvariantCulture));
            }
            else
            {
                var name = ReadIdentifier();
                Expect('(');
                var args = new List<JToken>();
                SkipSpace();
                if (Peek() != ')')
                {
                    do { args.Add(ParseExpression()); SkipSpace(); } while (TryConsume(','));
                }
                Expect(')');
                value = name switch
                {
                    "true" => new JValue(true),
                    "false" => new JValue(false),
                    "null" => JValue.CreateNull(),
                    _ => owner.Call(name, args, copyIndex),
                };
            }
            while (true)
            {
                SkipSpace();
                if (TryConsume('.')) value = Member(value, ReadIdentifier());
                else if (TryConsume('[')) { var index = ParseExpression(); SkipSpace(); Expect(']'); value = Index(value, index); }
                else return value;
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (position != text.Length) throw new ArmEvaluationException($"Unexpected '{text[position..]}' in [{text}].");
        }

        private char Peek() => position < text.Length ? text[position] : '\0';

        private void SkipSpace() { while (position < text.Length && char.IsWhiteSpace(text[position])) position++; }

        private bool TryConsume(char c)
        {
            SkipSpace();
            if (Peek() != c) return false;
            position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c)) throw new ArmEvaluationException($"Expected '{c}' at {position} in [{text}].");
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_')) position++;
            if (start == position) throw new ArmEvaluationException($"Expected a name at {position} in [{text}].");
            return text[start..position];
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.Length) throw new ArmEvaluationException($"Unterminated string in [{text}].");
                var c = text[position++];
                if (c != '\'') { builder.Append(c); continue; }
                if (Peek() == '\'') { builder.Append('\''); position++; continue; }
                return builder.ToString();
            }
        }
    }
}

/// <summary>One resource of the expanded template.</summary>
public sealed record ArmResource(string Type, string Name, string? Scope, JObject Json);

public sealed class ArmEvaluationException(string message) : Exception(message);
