using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// Just enough of Azure Resource Manager's template language to expand, offline, the template the Bicep CLI compiles
/// from <c>deploy/infra/main.bicep</c>: parameters (given values or defaults), variables, resource and output
/// <c>copy</c> loops, nested deployments (Bicep modules, evaluated with their own parameters; a module's outputs are
/// what <c>reference()</c> of that deployment returns), lambdas (<c>map</c>, <c>filter</c>, <c>toObject</c>) and the
/// other template functions the compiled template uses. Values only Azure knows at deployment time
/// (<c>reference</c> of a real resource, <c>listKeys</c>) become readable symbols such as
/// <c>reference(/subscriptions/…/userAssignedIdentities/id-orders-publisher).principalId</c>, so tests can check which
/// identity, role and scope each assignment names. An unknown function is an error: the tests must not pass on
/// something they did not understand.
/// </summary>
public sealed class ArmTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string TenantId = "00000000-0000-0000-0000-0000000000bb";
    public const string ResourceGroupName = "rg-orders-test";
    public const string ResourceGroupId = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}";

    private static readonly ConcurrentDictionary<string, Node> ParsedExpressions = new(StringComparer.Ordinal);

    private readonly JObject template;
    private readonly Dictionary<string, JToken> parameterValues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JToken> variableCache = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> variablesBeingEvaluated = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, ArmTemplate>? modules;
    private IReadOnlyList<ArmResource>? ownResources;

    /// <summary>A template with parameter values from parameter files (<c>{"parameters": {"x": {"value": ...}}}</c>).</summary>
    public ArmTemplate(JObject template, params JObject[] parameterFiles)
        : this(template, "", parameterFiles.SelectMany(f => (f["parameters"] as JObject ?? []).Properties())
            .ToDictionary(p => p.Name, p => p.Value["value"]?.DeepClone() ?? JValue.CreateNull(), StringComparer.OrdinalIgnoreCase))
    {
    }

    private ArmTemplate(JObject template, string deploymentPath, IDictionary<string, JToken> values, Func<string, JToken?>? givenParameter = null)
    {
        this.template = template;
        DeploymentPath = deploymentPath;
        this.givenParameter = givenParameter ?? (_ => null);
        foreach (var (name, value) in values) parameterValues[name] = value;
    }

    // A module's parameter values, evaluated on first use in the deploying template's scope.
    private readonly Func<string, JToken?> givenParameter;

    public JObject Json => template;

    /// <summary>"" for the entry template, "logicapp" for the module deployed as 'logicapp', "a/b" when nested deeper.</summary>
    public string DeploymentPath { get; }

    /// <summary>Every resource of this template and of its modules (recursively), copy loops expanded.</summary>
    public IReadOnlyList<ArmResource> ExpandResources() =>
        OwnResources().Concat(Modules().Values.SelectMany(m => m.ExpandResources())).ToList();

    /// <summary>This template and every module it deploys, recursively.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules() => new[] { this }.Concat(Modules().Values.SelectMany(m => m.SelfAndModules()));

    /// <summary>This template's own resources (its module deployments included, their content not).</summary>
    public IReadOnlyList<ArmResource> OwnExpandedResources() => OwnResources();

    /// <summary>The module deployed under <paramref name="name"/> by this template.</summary>
    public ArmTemplate Module(string name) =>
        Modules().TryGetValue(name, out var module) ? module : throw new ArmEvaluationException($"No module deployment '{name}' in {Describe()}.");

    public JToken Variable(string name) => VariableValue(name);

    public JToken Parameter(string name) => ParameterValue(name);

    /// <summary>The evaluated value of one output of this template.</summary>
    public JToken Output(string name)
    {
        var declaration = template["outputs"]?[name] as JObject ?? throw new ArmEvaluationException($"{Describe()} has no output '{name}'.");
        if (declaration["copy"] is JObject copy)
        {
            var count = ToInt(Evaluate(copy["count"]!, Scope.Empty));
            return new JArray(Enumerable.Range(0, count).Select(i => Evaluate(copy["input"]!, Scope.Empty with { CopyIndex = i })));
        }
        return Evaluate(declaration["value"]!, Scope.Empty);
    }

    /// <summary>Evaluates every expression string inside <paramref name="token"/> (property names included).</summary>
    public JToken Evaluate(JToken token, int? copyIndex) => Evaluate(token, Scope.Empty with { CopyIndex = copyIndex });

    public JToken EvaluateExpression(string expression, int? copyIndex) =>
        EvaluateNode(Parse(expression), Scope.Empty with { CopyIndex = copyIndex });

    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    internal static string ToText(JToken token) => token.Type switch
    {
        JTokenType.String => (string)token!,
        JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)!,
        JTokenType.Boolean => (bool)token ? "True" : "False",
        JTokenType.Null => "",
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    private string Describe() => DeploymentPath.Length == 0 ? "the entry template" : $"module '{DeploymentPath}'";

    private IReadOnlyList<ArmResource> OwnResources()
    {
        if (ownResources is not null) return ownResources;
        var result = new List<ArmResource>();
        foreach (var resource in Resources())
        {
            if (resource["copy"] is JObject copy)
            {
                var count = ToInt(Evaluate(copy["count"]!, Scope.Empty));
                for (var i = 0; i < count; i++) result.Add(ToResource(resource, i));
            }
            else
            {
                result.Add(ToResource(resource, null));
            }
        }
        return ownResources = result;
    }

    private IEnumerable<JObject> Resources() => template["resources"] switch
    {
        JArray array => array.OfType<JObject>(),
        JObject => throw new ArmEvaluationException("The template uses symbolic resource names (languageVersion 2.0), which this evaluator does not read."),
        _ => [],
    };

    private Dictionary<string, ArmTemplate> Modules()
    {
        if (modules is not null) return modules;
        var result = new Dictionary<string, ArmTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in Resources().Where(r => string.Equals((string?)r["type"], "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)))
        {
            if (resource["copy"] is not null) throw new ArmEvaluationException("Module loops are not supported by the test's evaluator.");
            var name = ToText(Evaluate(resource["name"]!, Scope.Empty));
            var properties = resource["properties"] as JObject ?? throw new ArmEvaluationException($"Deployment '{name}' has no properties.");
            if ((string?)properties.SelectToken("expressionEvaluationOptions.scope") != "inner")
            {
                throw new ArmEvaluationException($"Deployment '{name}' does not use inner expression scope; Bicep modules always do.");
            }
            var nested = properties["template"] as JObject ?? throw new ArmEvaluationException($"Deployment '{name}' has no inline template.");
            var given = properties["parameters"] as JObject ?? [];
            result[name] = new ArmTemplate(nested, DeploymentPath.Length == 0 ? name : $"{DeploymentPath}/{name}", new Dictionary<string, JToken>(),
                parameter => given.TryGetValue(parameter, StringComparison.OrdinalIgnoreCase, out var value)
                    ? Evaluate(value["value"] ?? JValue.CreateNull(), Scope.Empty)
                    : null);
        }
        return modules = result;
    }

    private ArmResource ToResource(JObject resource, int? copyIndex)
    {
        if (string.Equals((string?)resource["type"], "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
        {
            // A module: its template is evaluated in its own scope (Modules()), never in this one.
            resource = (JObject)resource.DeepClone();
            resource["properties"] = new JObject { ["mode"] = resource.SelectToken("properties.mode")?.DeepClone() };
        }
        var evaluated = (JObject)Evaluate(resource, Scope.Empty with { CopyIndex = copyIndex });
        return new ArmResource(
            (string)evaluated["type"]!,
            (string)evaluated["name"]!,
            evaluated.Value<string>("scope"),
            evaluated,
            DeploymentPath);
    }

    private JToken Evaluate(JToken token, Scope scope) => token switch
    {
        JObject obj => new JObject(obj.Properties().Select(p =>
            new JProperty(IsExpression(p.Name) ? ToText(EvaluateNode(Parse(p.Name), scope)) : p.Name, Evaluate(p.Value, scope)))),
        JArray array => new JArray(array.Select(item => Evaluate(item, scope))),
        JValue { Type: JTokenType.String } value when IsExpression((string)value!) => EvaluateNode(Parse((string)value!), scope),
        JValue { Type: JTokenType.String } value when ((string)value!).StartsWith("[[", StringComparison.Ordinal) => new JValue(((string)value!)[1..]),
        _ => token.DeepClone(),
    };

    private static Node Parse(string expression) =>
        ParsedExpressions.GetOrAdd(expression, e =>
        {
            var parser = new Parser(e[1..^1]);
            var node = parser.ParseExpression();
            parser.ExpectEnd();
            return node;
        });

    private JToken ParameterValue(string name)
    {
        if (parameterValues.TryGetValue(name, out var value)) return value;
        if (givenParameter(name) is { } given) return parameterValues[name] = given;
        var declaration = template["parameters"]?[name] as JObject
            ?? throw new ArmEvaluationException($"parameters('{name}') is not declared in {Describe()}.");
        if (declaration["defaultValue"] is { } defaultValue)
        {
            var evaluated = Evaluate(defaultValue, Scope.Empty);
            parameterValues[name] = evaluated;
            return evaluated;
        }
        // A required parameter without a value (a secret, a principal id): a symbol, never a real value.
        return new JValue($"<parameter {name}>");
    }

    private JToken VariableValue(string name)
    {
        if (variableCache.TryGetValue(name, out var cached)) return cached;
        var declaration = template["variables"]?[name] ?? throw new ArmEvaluationException($"variables('{name}') is not declared in {Describe()}.");
        if (!variablesBeingEvaluated.Add(name)) throw new ArmEvaluationException($"variables('{name}') refers to itself.");
        var value = Evaluate(declaration, Scope.Empty);
        variablesBeingEvaluated.Remove(name);
        variableCache[name] = value;
        return value;
    }

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

    private JToken EvaluateNode(Node node, Scope scope) => node switch
    {
        Literal literal => literal.Value.DeepClone(),
        MemberAccess member => Member(EvaluateNode(member.Target, scope), member.Name),
        IndexAccess index => Index(EvaluateNode(index.Target, scope), EvaluateNode(index.Index, scope)),
        FunctionCall call => Call(call, scope),
        _ => throw new ArmEvaluationException($"Unknown node {node}."),
    };

    private JToken Apply(Node lambda, Scope scope, params JToken[] values)
    {
        if (lambda is not FunctionCall { Name: var name } call || !name.Equals("lambda", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmEvaluationException("Expected a lambda(...) argument.");
        }
        var parameterNames = call.Arguments.Take(call.Arguments.Count - 1)
            .Select(a => a is Literal { Value.Type: JTokenType.String } l ? (string)l.Value! : throw new ArmEvaluationException("A lambda parameter name must be a string."))
            .ToList();
        if (parameterNames.Count > values.Length) throw new ArmEvaluationException($"The lambda takes {parameterNames.Count} arguments, got {values.Length}.");
        var variables = scope.LambdaVariables;
        for (var i = 0; i < parameterNames.Count; i++) variables = variables.SetItem(parameterNames[i], values[i]);
        return EvaluateNode(call.Arguments[^1], scope with { LambdaVariables = variables });
    }

    private JToken Call(FunctionCall call, Scope scope)
    {
        var function = call.Name.ToLowerInvariant();
        var nodes = call.Arguments;
        // Functions whose arguments are not all evaluated first.
        switch (function)
        {
            case "if":
                return ToBool(EvaluateNode(nodes[0], scope)) ? EvaluateNode(nodes[1], scope) : EvaluateNode(nodes[2], scope);
            case "lambda":
                throw new ArmEvaluationException("A lambda(...) outside map, filter or toObject.");
            case "map":
                return new JArray(AsArray(EvaluateNode(nodes[0], scope), "map").Select((item, i) => Apply(nodes[1], scope, item, new JValue(i))));
            case "filter":
                return new JArray(AsArray(EvaluateNode(nodes[0], scope), "filter").Where((item, i) => ToBool(Apply(nodes[1], scope, item, new JValue(i)))).Select(t => t.DeepClone()));
            case "toobject":
            {
                var result = new JObject();
                foreach (var item in AsArray(EvaluateNode(nodes[0], scope), "toObject"))
                {
                    result[ToText(Apply(nodes[1], scope, item))] = nodes.Count > 2 ? Apply(nodes[2], scope, item) : item.DeepClone();
                }
                return result;
            }
            case "lambdavariables":
            {
                var name = ToText(EvaluateNode(nodes[0], scope));
                return scope.LambdaVariables.TryGetValue(name, out var value) ? value : throw new ArmEvaluationException($"lambdaVariables('{name}') outside its lambda.");
            }
        }

        var args = nodes.Select(n => EvaluateNode(n, scope)).ToList();
        string Text(int i) => ToText(args[i]);
        switch (function)
        {
            case "parameters": return ParameterValue(Text(0));
            case "variables": return VariableValue(Text(0));
            case "copyindex":
                if (scope.CopyIndex is null) throw new ArmEvaluationException("copyIndex() outside a copy loop.");
                return new JValue(scope.CopyIndex.Value + (args.Count > 0 && args[^1].Type == JTokenType.Integer ? (int)args[^1] : 0));
            case "concat":
                return args.Count > 0 && args.All(a => a is JArray)
                    ? new JArray(args.SelectMany(a => (JArray)a).Select(t => t.DeepClone()))
                    : new JValue(string.Concat(args.Select(ToText)));
            case "format":
                return new JValue(string.Format(CultureInfo.InvariantCulture, Text(0), args.Skip(1).Select(a => (object)ToText(a)).ToArray()));
            case "resourceid":
                return new JValue(ResourceId(ResourceGroupId, args.Select(ToText).ToArray()));
            case "subscriptionresourceid":
                return new JValue(ResourceId($"/subscriptions/{SubscriptionId}", args.Select(ToText).ToArray()));
            case "tenantresourceid":
                return new JValue(ResourceId("", args.Select(ToText).ToArray()));
            case "extensionresourceid":
                return new JValue(ResourceId(Text(0), args.Skip(1).Select(ToText).ToArray()));
            case "reference":
                return Reference(Text(0));
            case "listkeys":
                return new JValue($"listKeys({Text(0)})");
            case "guid":
                // Deterministic like ARM's (not the same algorithm): the same arguments give the same name.
                return new JValue(new Guid(MD5.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(ToText))))).ToString());
            case "uniquestring":
                return new JValue(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(ToText)))))[..13].ToLowerInvariant());
            case "resourcegroup":
                return new JObject { ["id"] = ResourceGroupId, ["name"] = ResourceGroupName, ["location"] = "westeurope" };
            case "subscription":
                return new JObject { ["id"] = $"/subscriptions/{SubscriptionId}", ["subscriptionId"] = SubscriptionId, ["tenantId"] = TenantId };
            case "tenant":
                return new JObject { ["tenantId"] = TenantId };
            case "environment":
                return new JObject
                {
                    ["name"] = "AzureCloud",
                    ["resourceManager"] = "https://management.azure.com/",
                    ["authentication"] = new JObject { ["loginEndpoint"] = "https://login.microsoftonline.com/" },
                    ["suffixes"] = new JObject { ["storage"] = "core.windows.net" },
                };
            case "tolower": return new JValue(Text(0).ToLowerInvariant());
            case "toupper": return new JValue(Text(0).ToUpperInvariant());
            case "take":
                return args[0] is JArray takeArray
                    ? new JArray(takeArray.Take(ToInt(args[1])).Select(t => t.DeepClone()))
                    : new JValue(new string(Text(0).Take(ToInt(args[1])).ToArray()));
            case "substring":
            {
                var text = Text(0);
                var start = ToInt(args[1]);
                var length = args.Count > 2 ? ToInt(args[2]) : text.Length - start;
                if (start < 0 || length < 0 || start + length > text.Length) throw new ArmEvaluationException($"substring('{text}', {start}, {length}) is out of range.");
                return new JValue(text.Substring(start, length));
            }
            case "split":
                return new JArray(Text(0).Split(Text(1)).Select(s => new JValue(s)));
            case "length":
                return new JValue(args[0] switch { JArray a => a.Count, JObject o => o.Count, var v => ToText(v).Length });
            case "string": return new JValue(args[0].Type == JTokenType.String ? Text(0) : ToText(args[0]));
            case "json": return Text(0) == "null" ? JValue.CreateNull() : JToken.Parse(Text(0));
            case "null": return JValue.CreateNull();
            case "true": return new JValue(true);
            case "false": return new JValue(false);
            case "empty":
                return new JValue(args[0] switch { JArray a => a.Count == 0, JObject o => o.Count == 0, { Type: JTokenType.Null } => true, var v => ToText(v).Length == 0 });
            case "equals": return new JValue(JToken.DeepEquals(args[0], args[1]));
            case "not": return new JValue(!ToBool(args[0]));
            case "and": return new JValue(args.All(ToBool));
            case "or": return new JValue(args.Any(ToBool));
            case "createarray": return new JArray(args.Select(a => a.DeepClone()));
            case "createobject":
                var created = new JObject();
                for (var i = 0; i + 1 < args.Count; i += 2) created[Text(i)] = args[i + 1].DeepClone();
                return created;
            case "union":
                if (args.All(a => a is JArray)) return new JArray(args.SelectMany(a => (JArray)a).Distinct(JToken.EqualityComparer).Select(t => t.DeepClone()));
                var merged = new JObject();
                foreach (var o in args)
                {
                    if (o is not JObject obj) throw new ArmEvaluationException($"union() of an object and a {o.Type}.");
                    foreach (var p in obj.Properties()) merged[p.Name] = p.Value.DeepClone();
                }
                return merged;
            case "contains":
                return new JValue(args[0] switch
                {
                    JObject o => o.ContainsKey(Text(1)),
                    JArray a => a.Any(x => JToken.DeepEquals(x, args[1])),
                    var v => ToText(v).Contains(Text(1), StringComparison.Ordinal),
                });
            case "coalesce":
                return args.FirstOrDefault(a => a.Type != JTokenType.Null)?.DeepClone() ?? JValue.CreateNull();
            case "trygetobject":
            case "tryget":
            {
                JToken? current = args[0];
                foreach (var key in args.Skip(1))
                {
                    current = current switch
                    {
                        JObject o => o.TryGetValue(ToText(key), StringComparison.Ordinal, out var v) ? v : null,
                        JArray a when key.Type == JTokenType.Integer && ToInt(key) < a.Count => a[ToInt(key)],
                        _ => null,
                    };
                    if (current is null) return JValue.CreateNull();
                }
                return current!.DeepClone();
            }
            case "items":
                return new JArray(((args[0] as JObject) ?? throw new ArmEvaluationException("items() of a non-object."))
                    .Properties().OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => new JObject { ["key"] = p.Name, ["value"] = p.Value.DeepClone() }));
            case "objectkeys":
                return new JArray(((args[0] as JObject) ?? throw new ArmEvaluationException("objectKeys() of a non-object.")).Properties().Select(p => new JValue(p.Name)));
            case "flatten":
                return new JArray(AsArray(args[0], "flatten").SelectMany(a => AsArray(a, "flatten")).Select(t => t.DeepClone()));
            case "first":
                return args[0] is JArray firstArray ? (firstArray.Count > 0 ? firstArray[0].DeepClone() : JValue.CreateNull()) : new JValue(Text(0)[..1]);
            case "last":
                return args[0] is JArray lastArray ? (lastArray.Count > 0 ? lastArray[lastArray.Count - 1].DeepClone() : JValue.CreateNull()) : new JValue(Text(0)[^1..]);
            case "range":
                return new JArray(Enumerable.Range(ToInt(args[0]), ToInt(args[1])).Select(i => new JValue(i)));
            default:
                throw new ArmEvaluationException($"The test's ARM evaluator doesn't know the function '{call.Name}'. Add it (or avoid it in the template).");
        }
    }

    /// <summary><c>reference()</c> of a module deployment gives its outputs; of anything else, a symbol.</summary>
    private JToken Reference(string resourceId)
    {
        const string deployments = "/providers/Microsoft.Resources/deployments/";
        var at = resourceId.LastIndexOf(deployments, StringComparison.OrdinalIgnoreCase);
        if (at >= 0 && Modules().TryGetValue(resourceId[(at + deployments.Length)..], out var module))
        {
            var outputs = new JObject();
            foreach (var output in (module.Json["outputs"] as JObject ?? []).Properties())
            {
                outputs[output.Name] = new JObject { ["value"] = module.Output(output.Name) };
            }
            return new JObject { ["outputs"] = outputs };
        }
        return new JValue($"reference({resourceId})");
    }

    private static JArray AsArray(JToken token, string function) =>
        token as JArray ?? throw new ArmEvaluationException($"{function}() expects an array, got {token.Type}.");

    private static bool ToBool(JToken token) =>
        token.Type == JTokenType.Boolean ? (bool)token : throw new ArmEvaluationException($"Expected a boolean, got {token.Type} '{ToText(token)}'.");

    private static int ToInt(JToken token) =>
        token.Type == JTokenType.Integer ? (int)token : throw new ArmEvaluationException($"Expected an integer, got {token.Type} '{ToText(token)}'.");

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

    private sealed record Scope(int? CopyIndex, ImmutableDictionary<string, JToken> LambdaVariables)
    {
        public static readonly Scope Empty = new(null, ImmutableDictionary<string, JToken>.Empty.WithComparers(StringComparer.Ordinal));
    }

    private abstract record Node;

    private sealed record Literal(JToken Value) : Node;

    private sealed record FunctionCall(string Name, IReadOnlyList<Node> Arguments) : Node;

    private sealed record MemberAccess(Node Target, string Name) : Node;

    private sealed record IndexAccess(Node Target, Node Index) : Node;

    private sealed class Parser(string text)
    {
        private int position;

        public Node ParseExpression()
        {
            SkipSpace();
            Node value;
            if (Peek() == '\'')
            {
                value = new Literal(new JValue(ReadString()));
            }
            else if (char.IsDigit(Peek()) || Peek() == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsDigit(text[position])) position++;
                value = new Literal(new JValue(long.Parse(text[start..position], CultureInfo.InvariantCulture)));
            }
            else
            {
                var name = ReadIdentifier();
                Expect('(');
                var args = new List<Node>();
                SkipSpace();
                if (Peek() != ')')
                {
                    do { args.Add(ParseExpression()); SkipSpace(); } while (TryConsume(','));
                }
                Expect(')');
                value = new FunctionCall(name, args);
            }
            while (true)
            {
                SkipSpace();
                if (TryConsume('.')) value = new MemberAccess(value, ReadIdentifier());
                else if (TryConsume('[')) { var index = ParseExpression(); SkipSpace(); Expect(']'); value = new IndexAccess(value, index); }
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
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_' || text[position] == '$' || text[position] == '#')) position++;
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

/// <summary>One resource of the expanded template; <see cref="Deployment"/> is the module path it was declared in.</summary>
public sealed record ArmResource(string Type, string Name, string? Scope, JObject Json, string Deployment = "");

public sealed class ArmEvaluationException(string message) : Exception(message);
