using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Iac;

/// <summary>
/// Enough of Azure Resource Manager's template language to read, offline, what a compiled template gives a resource:
/// parameters (from a parameters file, else defaults), variables, <c>copy</c> loops over properties, lambdas and the
/// common template functions. What only Azure knows at deployment time (<c>reference</c>, <c>list*</c>,
/// <c>utcNow</c>, a required parameter without a value, and any function this reader does not know) becomes a
/// <see cref="Symbol"/>: a readable placeholder such as <c>⟪reference(...).secretUri⟫</c>. Names built only from
/// literals, parameters and variables evaluate exactly; values may stay symbolic. Functions per
/// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions
/// </summary>
public sealed class ArmEvaluator
{
    public const string SymbolStart = "⟪";
    public const string SymbolEnd = "⟫";
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000000";
    public const string ResourceGroupName = "preflight-rg";

    private readonly JObject template;
    private readonly Dictionary<string, JToken> parameterValues;
    private readonly Dictionary<string, JToken> variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> evaluatingVariables = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="parameterValues">Parameter name → value (as in a deployment's <c>parameters.x.value</c>).</param>
    public ArmEvaluator(JObject template, IReadOnlyDictionary<string, JToken>? parameterValues = null)
    {
        this.template = template;
        this.parameterValues = new Dictionary<string, JToken>(parameterValues ?? new Dictionary<string, JToken>(), StringComparer.OrdinalIgnoreCase);
    }

    public JObject Template => template;

    public static JValue Symbol(string text) => new(SymbolStart + text + SymbolEnd);

    public static bool IsSymbolic(JToken token) =>
        token.Type == JTokenType.String && ((string)token!).Contains(SymbolStart, StringComparison.Ordinal);

    /// <summary>Evaluates every expression inside <paramref name="token"/>, property names and property copy loops included.</summary>
    public JToken Evaluate(JToken token, Scope? scope = null)
    {
        scope ??= Scope.Empty;
        switch (token)
        {
            case JObject obj:
                var result = new JObject();
                foreach (var property in obj.Properties())
                {
                    if (property.Name == "copy" && property.Value is JArray loops && loops.All(l => l is JObject { } o && o["input"] is not null))
                    {
                        foreach (var loop in loops.Cast<JObject>()) result[Text(Evaluate(loop["name"]!, scope))] = EvaluateCopy(loop, scope);
                        continue;
                    }
                    var name = IsExpression(property.Name) ? Text(EvaluateExpression(property.Name, scope)) : property.Name;
                    result[name] = Evaluate(property.Value, scope);
                }
                return result;
            case JArray array:
                return new JArray(array.Select(item => Evaluate(item, scope)));
            case JValue { Type: JTokenType.String } value:
                var text = (string)value!;
                if (IsExpression(text)) return EvaluateExpression(text, scope);
                return text.StartsWith("[[", StringComparison.Ordinal) ? new JValue(text[1..]) : value.DeepClone();
            default:
                return token.DeepClone();
        }
    }

    private JArray EvaluateCopy(JObject loop, Scope scope)
    {
        var name = Text(Evaluate(loop["name"]!, scope));
        var count = Evaluate(loop["count"]!, scope);
        if (count.Type != JTokenType.Integer) return new JArray(Symbol($"copy loop '{name}' over {Text(count)}"));
        var items = new JArray();
        for (var i = 0; i < (long)count; i++) items.Add(Evaluate(loop["input"]!, scope.WithCopyIndex(name, i)));
        return items;
    }

    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    public JToken EvaluateExpression(string expression, Scope? scope = null)
    {
        var parser = new Parser(expression[1..^1], this, scope ?? Scope.Empty);
        var value = parser.Expression();
        parser.End();
        return value;
    }

    public JToken Parameter(string name)
    {
        if (parameterValues.TryGetValue(name, out var value)) return value;
        var declaration = template["parameters"]?[name] as JObject;
        if (declaration?["defaultValue"] is { } defaultValue)
        {
            var evaluated = Evaluate(defaultValue);
            parameterValues[name] = evaluated;
            return evaluated;
        }
        // A required parameter the deployment supplies (often a secret): never a value here.
        return Symbol($"parameters('{name}')");
    }

    public JToken Variable(string name)
    {
        if (variables.TryGetValue(name, out var cached)) return cached;
        var declaration = template["variables"]?[name];
        if (declaration is null && (template["variables"]?["copy"] as JArray)?.OfType<JObject>()
                .FirstOrDefault(l => string.Equals((string?)l["name"], name, StringComparison.OrdinalIgnoreCase)) is { } loop)
        {
            return variables[name] = EvaluateCopy(loop, Scope.Empty);
        }
        if (declaration is null) return Symbol($"variables('{name}')");
        if (!evaluatingVariables.Add(name)) return Symbol($"variables('{name}') (cycle)");
        try
        {
            var value = Evaluate(declaration);
            variables[name] = value;
            return value;
        }
        finally { evaluatingVariables.Remove(name); }
    }

    public static string Text(JToken token) => token.Type switch
    {
        JTokenType.String => (string)token!,
        JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)!,
        JTokenType.Boolean => (bool)token ? "True" : "False",
        JTokenType.Null => "",
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    private static string ResourceId(string scope, IReadOnlyList<string> args)
    {
        // resourceId([subscriptionId], [resourceGroupName], type, name1, name2...): the type is the first argument holding a '/'.
        var typeIndex = args.ToList().FindIndex(a => a.Contains('/'));
        if (typeIndex < 0) return $"{scope}/providers/{string.Join("/", args)}";
        var type = args[typeIndex].Split('/');
        var names = args.Skip(typeIndex + 1).ToArray();
        var path = new StringBuilder($"{scope}/providers/{type[0]}");
        for (var i = 1; i < type.Length; i++) path.Append('/').Append(type[i]).Append('/').Append(i - 1 < names.Length ? names[i - 1] : "?");
        return path.ToString();
    }

    private static bool Truthy(JToken token) => token.Type == JTokenType.Boolean ? (bool)token : !IsSymbolic(token) && token.Type != JTokenType.Null;

    internal JToken Call(string function, IReadOnlyList<JToken> args, Scope scope)
    {
        string Arg(int i) => Text(args[i]);
        var name = function.ToLowerInvariant();
        // Values of parameters that are lambdas are handled by the parser; everything here has evaluated arguments.
        switch (name)
        {
            case "parameters": return Parameter(Arg(0));
            case "variables": return Variable(Arg(0));
            case "copyindex":
                var loopName = args.Count > 0 && args[0].Type == JTokenType.String ? Arg(0) : null;
                var offset = args.Count > 0 && args[^1].Type == JTokenType.Integer ? (long)args[^1] : 0;
                return scope.CopyIndex(loopName) is { } index ? new JValue(index + offset) : Symbol("copyIndex()");
            case "lambdavariables": return scope.Lambda(Arg(0)) ?? Symbol($"lambdaVariables('{Arg(0)}')");
            case "concat":
                return args.Count > 0 && args.All(a => a is JArray) ? new JArray(args.SelectMany(a => (JArray)a)) : new JValue(string.Concat(args.Select(Text)));
            case "format":
                return new JValue(string.Format(CultureInfo.InvariantCulture, Arg(0), args.Skip(1).Select(a => (object)Text(a)).ToArray()));
            case "string": return new JValue(Text(args[0]));
            case "int": return long.TryParse(Text(args[0]), out var n) ? new JValue(n) : Symbol($"int({Text(args[0])})");
            case "bool": return bool.TryParse(Text(args[0]), out var b) ? new JValue(b) : Symbol($"bool({Text(args[0])})");
            case "tolower": return new JValue(Arg(0).ToLowerInvariant());
            case "toupper": return new JValue(Arg(0).ToUpperInvariant());
            case "trim": return new JValue(Arg(0).Trim());
            case "replace": return new JValue(Arg(0).Replace(Arg(1), Arg(2), StringComparison.Ordinal));
            case "split": return new JArray(Arg(0).Split(args[1] is JArray seps ? seps.Select(Text).ToArray() : [Arg(1)], StringSplitOptions.None));
            case "join": return new JValue(string.Join(Arg(1), ((JArray)args[0]).Select(Text)));
            case "startswith": return new JValue(Arg(0).StartsWith(Arg(1), StringComparison.OrdinalIgnoreCase));
            case "endswith": return new JValue(Arg(0).EndsWith(Arg(1), StringComparison.OrdinalIgnoreCase));
            case "substring":
                var start = (int)(long)args[1];
                return new JValue(args.Count > 2 ? Arg(0).Substring(start, (int)(long)args[2]) : Arg(0)[start..]);
            case "take":
                return args[0] is JArray takeArray ? new JArray(takeArray.Take((int)(long)args[1])) : new JValue(new string(Arg(0).Take((int)(long)args[1]).ToArray()));
            case "skip":
                return args[0] is JArray skipArray ? new JArray(skipArray.Skip((int)(long)args[1])) : new JValue(new string(Arg(0).Skip((int)(long)args[1]).ToArray()));
            case "first": return args[0] is JArray firstArray ? firstArray.FirstOrDefault() ?? JValue.CreateNull() : new JValue(Arg(0).Length > 0 ? Arg(0)[..1] : "");
            case "last": return args[0] is JArray lastArray ? lastArray.LastOrDefault() ?? JValue.CreateNull() : new JValue(Arg(0).Length > 0 ? Arg(0)[^1..] : "");
            case "length": return new JValue(args[0] switch { JArray a => a.Count, JObject o => o.Count, var v => Text(v).Length });
            case "empty": return new JValue(args[0] switch { JArray a => a.Count == 0, JObject o => o.Count == 0, { Type: JTokenType.Null } => true, var v => Text(v).Length == 0 });
            case "contains":
                return new JValue(args[0] switch
                {
                    JObject o => o.Properties().Any(p => p.Name.Equals(Arg(1), StringComparison.OrdinalIgnoreCase)),
                    JArray a => a.Any(x => JToken.DeepEquals(x, args[1])),
                    var v => Text(v).Contains(Arg(1), StringComparison.Ordinal),
                });
            case "equals": return new JValue(JToken.DeepEquals(args[0], args[1]));
            case "not": return new JValue(!Truthy(args[0]));
            case "and": return new JValue(args.All(Truthy));
            case "or": return new JValue(args.Any(Truthy));
            case "if": return IsSymbolic(args[0]) ? Symbol($"if({Text(args[0])}, ...)") : Truthy(args[0]) ? args[1] : args[2];
            case "coalesce": return args.FirstOrDefault(a => a.Type != JTokenType.Null) ?? JValue.CreateNull();
            case "greater": return Compare(args) is { } g ? new JValue(g > 0) : Symbol("greater(...)");
            case "greaterorequals": return Compare(args) is { } ge ? new JValue(ge >= 0) : Symbol("greaterOrEquals(...)");
            case "less": return Compare(args) is { } l ? new JValue(l < 0) : Symbol("less(...)");
            case "lessorequals": return Compare(args) is { } le ? new JValue(le <= 0) : Symbol("lessOrEquals(...)");
            case "add": case "sub": case "mul": case "div": case "mod":
                if (args[0].Type != JTokenType.Integer || args[1].Type != JTokenType.Integer) return Symbol($"{function}(...)");
                long x = (long)args[0], y = (long)args[1];
                return new JValue(name switch { "add" => x + y, "sub" => x - y, "mul" => x * y, "div" => x / y, _ => x % y });
            case "min": return new JValue(Flatten(args).Min(a => (long)a));
            case "max": return new JValue(Flatten(args).Max(a => (long)a));
            case "range": return new JArray(Enumerable.Range((int)(long)args[0], (int)(long)args[1]));
            case "createarray": return new JArray(args.Select(a => a.DeepClone()));
            case "createobject":
                var created = new JObject();
                for (var i = 0; i + 1 < args.Count; i += 2) created[Arg(i)] = args[i + 1].DeepClone();
                return created;
            case "union":
                if (args.All(a => a is JArray)) return new JArray(args.SelectMany(a => (JArray)a).Distinct(JToken.EqualityComparer));
                var merged = new JObject();
                foreach (var o in args)
                {
                    if (o is JObject obj) merged.Merge(obj, new JsonMergeSettings { MergeArrayHandling = MergeArrayHandling.Replace });
                    else return Symbol($"union(... {Text(o)} ...)");
                }
                return merged;
            case "shallowmerge":
                var shallow = new JObject();
                foreach (var o in ((JArray)args[0]).OfType<JObject>()) foreach (var p in o.Properties()) shallow[p.Name] = p.Value.DeepClone();
                return shallow;
            case "items":
                return args[0] is JObject itemsOf
                    ? new JArray(itemsOf.Properties().OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => new JObject { ["key"] = p.Name, ["value"] = p.Value.DeepClone() }))
                    : Symbol($"items({Text(args[0])})");
            case "objectkeys": return args[0] is JObject keysOf ? new JArray(keysOf.Properties().Select(p => p.Name)) : Symbol("objectKeys(...)");
            case "json": return Arg(0) == "null" ? JValue.CreateNull() : IsSymbolic(args[0]) ? args[0] : JToken.Parse(Arg(0));
            case "base64": return new JValue(Convert.ToBase64String(Encoding.UTF8.GetBytes(Arg(0))));
            case "uri": return new JValue(new Uri(new Uri(Arg(0)), Arg(1)).ToString());
            case "uniquestring":
                return new JValue(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Text)))))[..13].ToLowerInvariant());
            case "guid":
                var hash = MD5.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Text))));
                return new JValue(new Guid(hash).ToString());
            case "resourcegroup":
                return new JObject
                {
                    ["id"] = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}",
                    ["name"] = ResourceGroupName,
                    ["location"] = Symbol("resourceGroup().location"),
                };
            case "subscription": return new JObject { ["id"] = $"/subscriptions/{SubscriptionId}", ["subscriptionId"] = SubscriptionId, ["tenantId"] = Symbol("subscription().tenantId") };
            case "tenant": return new JObject { ["tenantId"] = Symbol("tenant().tenantId") };
            case "environment":
                return new JObject
                {
                    ["name"] = "AzureCloud",
                    ["resourceManager"] = "https://management.azure.com/",
                    ["suffixes"] = new JObject { ["storage"] = "core.windows.net", ["keyvaultDns"] = ".vault.azure.net" },
                };
            case "resourceid": return new JValue(ResourceId($"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}", args.Select(Text).ToArray()));
            case "subscriptionresourceid": return new JValue(ResourceId($"/subscriptions/{SubscriptionId}", args.Select(Text).ToArray()));
            case "tenantresourceid": return new JValue(ResourceId("", args.Select(Text).ToArray()));
            case "extensionresourceid": return new JValue(Arg(0) + ResourceId("", args.Skip(1).Select(Text).ToArray()));
            default:
                // reference(), list*(), utcNow(), newGuid(), deployment(), ... and anything unknown: known only in Azure.
                return Symbol($"{function}({string.Join(", ", args.Select(Text))})");
        }
    }

    private static IEnumerable<JToken> Flatten(IReadOnlyList<JToken> args) => args.SelectMany(a => a is JArray arr ? arr : [a]);

    private static int? Compare(IReadOnlyList<JToken> args)
    {
        if (args[0].Type == JTokenType.Integer && args[1].Type == JTokenType.Integer) return ((long)args[0]).CompareTo((long)args[1]);
        if (args[0].Type == JTokenType.String && args[1].Type == JTokenType.String && !IsSymbolic(args[0]) && !IsSymbolic(args[1]))
            return string.CompareOrdinal((string)args[0]!, (string)args[1]!);
        return null;
    }

    /// <summary>Higher-order functions take lambdas: evaluated by the parser with lambda variables in scope.</summary>
    internal JToken CallWithLambdas(string function, IReadOnlyList<JToken> args, IReadOnlyList<Lambda?> lambdas, Scope scope)
    {
        JToken Apply(Lambda lambda, params JToken[] values) => lambda.Invoke(values, scope);
        switch (function.ToLowerInvariant())
        {
            case "map" when args[0] is JArray source && lambdas[1] is { } map:
                return new JArray(source.Select((item, i) => Apply(map, item, new JValue(i))));
            case "filter" when args[0] is JArray source && lambdas[1] is { } filter:
                return new JArray(source.Where((item, i) => Truthy(Apply(filter, item, new JValue(i)))));
            case "reduce" when args[0] is JArray source && lambdas[2] is { } reduce:
                return source.Select((item, i) => (item, i)).Aggregate(args[1], (acc, x) => Apply(reduce, acc, x.item, new JValue(x.i)));
            case "toobject" when args[0] is JArray source && lambdas[1] is { } key:
                var result = new JObject();
                foreach (var item in source) result[Text(Apply(key, item))] = lambdas.Count > 2 && lambdas[2] is { } value ? Apply(value, item) : item.DeepClone();
                return result;
            case "sort" when args[0] is JArray source:
                return new JArray(source);
            default:
                return Symbol($"{function}(...)");
        }
    }

    /// <summary>Copy indices and lambda variables in force while evaluating.</summary>
    public sealed class Scope
    {
        public static readonly Scope Empty = new(null, null, null);
        private readonly Scope? parent;
        private readonly string? name;
        private readonly JToken? value;

        private Scope(Scope? parent, string? name, JToken? value) { this.parent = parent; this.name = name; this.value = value; }

        public Scope WithCopyIndex(string loop, int index) => new(this, "copy:" + loop, new JValue(index));
        public Scope WithLambda(string variable, JToken bound) => new(this, "lambda:" + variable, bound);

        public long? CopyIndex(string? loop)
        {
            for (var s = this; s is not null; s = s.parent)
            {
                if (s.name is null || !s.name.StartsWith("copy:", StringComparison.Ordinal)) continue;
                if (loop is null || s.name == "copy:" + loop) return (long)s.value!;
            }
            return null;
        }

        public JToken? Lambda(string variable)
        {
            for (var s = this; s is not null; s = s.parent) if (s.name == "lambda:" + variable) return s.value;
            return null;
        }
    }

    /// <summary>A parsed <c>lambda('x', 'y', body)</c>: evaluated per call with its variables bound.</summary>
    internal sealed class Lambda(IReadOnlyList<string> variables, string text, int bodyStart, int bodyEnd, ArmEvaluator owner)
    {
        public JToken Invoke(IReadOnlyList<JToken> values, Scope scope)
        {
            var bound = scope;
            for (var i = 0; i < variables.Count && i < values.Count; i++) bound = bound.WithLambda(variables[i], values[i]);
            var parser = new Parser(text[bodyStart..bodyEnd], owner, bound);
            var value = parser.Expression();
            parser.End();
            return value;
        }
    }

    private sealed class Parser(string text, ArmEvaluator owner, Scope scope)
    {
        private int position;

        public JToken Expression()
        {
            Skip();
            JToken value;
            if (Peek() == '\'') value = new JValue(ReadString());
            else if (char.IsDigit(Peek()) || Peek() == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsDigit(text[position])) position++;
                value = new JValue(long.Parse(text[start..position], CultureInfo.InvariantCulture));
            }
            else
            {
                var name = Identifier();
                Expect('(');
                value = name.ToLowerInvariant() switch
                {
                    "true" => Close(new JValue(true)),
                    "false" => Close(new JValue(false)),
                    "null" => Close(JValue.CreateNull()),
                    _ => Call(name),
                };
            }
            while (true)
            {
                Skip();
                if (TryConsume('.')) value = Member(value, Identifier());
                else if (TryConsume('[')) { var index = Expression(); Expect(']'); value = Index(value, index); }
                else return value;
            }
        }

        private JToken Close(JToken value) { Expect(')'); return value; }

        private JToken Call(string name)
        {
            var args = new List<JToken>();
            var lambdas = new List<Lambda?>();
            Skip();
            if (Peek() != ')')
            {
                do
                {
                    Skip();
                    if (LooksLikeLambda()) { lambdas.Add(ReadLambda()); args.Add(JValue.CreateNull()); }
                    else { lambdas.Add(null); args.Add(Expression()); }
                    Skip();
                } while (TryConsume(','));
            }
            Expect(')');
            return lambdas.Any(l => l is not null) ? owner.CallWithLambdas(name, args, lambdas, scope) : owner.Call(name, args, scope);
        }

        private bool LooksLikeLambda() =>
            string.Compare(text, position, "lambda(", 0, 7, StringComparison.OrdinalIgnoreCase) == 0;

        private Lambda ReadLambda()
        {
            position += "lambda(".Length;
            var variables = new List<string>();
            while (true)
            {
                Skip();
                if (Peek() != '\'') break;
                var save = position;
                var variable = ReadString();
                Skip();
                if (Peek() == ',') { position++; variables.Add(variable); continue; }
                position = save; // the body is a plain string literal
                break;
            }
            var bodyStart = position;
            SkipBalanced();
            var bodyEnd = position;
            Expect(')');
            return new Lambda(variables, text, bodyStart, bodyEnd, owner);
        }

        /// <summary>Moves past one expression without evaluating it (a lambda body is evaluated per call).</summary>
        private void SkipBalanced()
        {
            var depth = 0;
            while (position < text.Length)
            {
                var c = text[position];
                if (c == '\'') { ReadString(); continue; }
                if (c is '(' or '[') depth++;
                else if (c is ')' or ']')
                {
                    if (depth == 0) return;
                    depth--;
                }
                else if (c == ',' && depth == 0) return;
                position++;
            }
        }

        public void End()
        {
            Skip();
            if (position != text.Length) throw new FormatException($"unexpected '{text[position..]}' in [{text}]");
        }

        private static JToken Member(JToken target, string name) => target switch
        {
            JObject obj => obj.Properties().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value ?? Symbol($"{Text(target)}.{name}"),
            _ when IsSymbolic(target) => new JValue(((string)target!).TrimEnd(SymbolEnd[0]) + "." + name + SymbolEnd),
            _ => Symbol($"{Text(target)}.{name}"),
        };

        private static JToken Index(JToken target, JToken index) => target switch
        {
            JArray array when index.Type == JTokenType.Integer && (long)index < array.Count => array[(int)(long)index],
            JObject => Member(target, Text(index)),
            _ => Symbol($"{Text(target)}[{Text(index)}]"),
        };

        private char Peek() => position < text.Length ? text[position] : '\0';

        private void Skip() { while (position < text.Length && char.IsWhiteSpace(text[position])) position++; }

        private bool TryConsume(char c)
        {
            Skip();
            if (Peek() != c) return false;
            position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c)) throw new FormatException($"expected '{c}' at {position} in [{text}]");
        }

        private string Identifier()
        {
            Skip();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$' or '#')) position++;
            if (start == position) throw new FormatException($"expected a name at {position} in [{text}]");
            return text[start..position];
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.Length) throw new FormatException($"unterminated string in [{text}]");
                var c = text[position++];
                if (c != '\'') { builder.Append(c); continue; }
                if (Peek() == '\'') { builder.Append('\''); position++; continue; }
                return builder.ToString();
            }
        }
    }
}
