using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Cli.Iac;

/// <summary>What the evaluator does with an expression it cannot evaluate: an unknown function, a missing property,
/// variable or parameter, a copy loop or condition that depends on a value only Azure knows.</summary>
public enum UnknownExpressions
{
    /// <summary>Throw <see cref="ArmEvaluationException"/>: the infrastructure tests must not pass on something they did not understand.</summary>
    Fail,

    /// <summary>Yield a <see cref="ArmTemplate.Symbol"/>: preflight reads a template it did not write and reports what stays unknown.</summary>
    BecomeSymbols,
}

/// <summary>
/// Enough of Azure Resource Manager's template language to expand, offline, a compiled template such as the one the
/// Bicep CLI builds from <c>deploy/infra/main.bicep</c>: parameters (given values or defaults), variables, resource,
/// property, variable and output <c>copy</c> loops, resource conditions, nested deployments (Bicep modules, evaluated
/// with their own parameters; a module's outputs are what <c>reference()</c> of that deployment returns), lambdas and
/// the template functions (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions).
/// It runs in a fixed, fake deployment scope (<see cref="SubscriptionId"/>, <see cref="ResourceGroupName"/>).
/// Values only Azure knows at deployment time (<c>reference</c> of a real resource, <c>list*</c>, <c>utcNow</c>, a
/// required parameter without a value) become readable <see cref="Symbol"/>s such as
/// <c>⟪reference(/subscriptions/…/userAssignedIdentities/id-orders-publisher).principalId⟫</c>, so a check can see
/// which identity, role and scope each assignment names. What the evaluator cannot read follows <see cref="UnknownExpressions"/>.
/// The infrastructure tests and the <c>preflight</c> verb share this one evaluator.
/// </summary>
public sealed class ArmTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    public const string TenantId = "00000000-0000-0000-0000-0000000000bb";
    public const string ResourceGroupName = "rg-orders-test";
    public const string ResourceGroupId = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}";
    public const string Location = "westeurope";
    public const string SymbolStart = "⟪";
    public const string SymbolEnd = "⟫";

    private const string DeploymentsType = "Microsoft.Resources/deployments";

    private static readonly ConcurrentDictionary<string, Node> ParsedExpressions = new(StringComparer.Ordinal);

    private readonly JObject template;
    private readonly UnknownExpressions unknowns;
    private readonly Dictionary<string, JToken> parameterValues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JToken> variableCache = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> variablesBeingEvaluated = new(StringComparer.OrdinalIgnoreCase);
    // A module's parameter values, evaluated on first use in the deploying template's scope.
    private readonly Func<string, JToken?> givenParameter;
    // A nested template with outer expression scope reads the deploying template's parameters and variables.
    private readonly ArmTemplate? outerScope;
    private readonly Dictionary<JObject, ArmTemplate> modulesByDeclaration = new(ReferenceEqualityComparer.Instance);
    private Dictionary<string, ArmTemplate>? modules;
    private IReadOnlyList<ArmResource>? ownResources;

    /// <summary>A template with parameter values from parameter files (<c>{"parameters": {"x": {"value": ...}}}</c>).</summary>
    public ArmTemplate(JObject template, params JObject[] parameterFiles)
        : this(template, ValuesOf(parameterFiles), UnknownExpressions.Fail)
    {
    }

    /// <param name="parameterValues">Parameter name → value (as in a deployment's <c>parameters.x.value</c>).</param>
    public ArmTemplate(JObject template, IReadOnlyDictionary<string, JToken>? parameterValues, UnknownExpressions unknowns)
        : this(template, "", parameterValues, unknowns, null, null)
    {
    }

    private ArmTemplate(JObject template, string deploymentPath, IReadOnlyDictionary<string, JToken>? values, UnknownExpressions unknowns,
        Func<string, JToken?>? givenParameter, ArmTemplate? outerScope)
    {
        this.template = template;
        this.unknowns = unknowns;
        this.givenParameter = givenParameter ?? (_ => null);
        this.outerScope = outerScope;
        DeploymentPath = deploymentPath;
        foreach (var (name, value) in values ?? new Dictionary<string, JToken>()) parameterValues[name] = value;
    }

    public JObject Json => template;

    /// <summary>"" for the entry template, "logicapp" for the module deployed as 'logicapp', "a/b" when nested deeper.</summary>
    public string DeploymentPath { get; }

    /// <summary>A readable placeholder for a value only Azure knows: <c>⟪text⟫</c>.</summary>
    public static JValue Symbol(string text) => new(SymbolStart + text + SymbolEnd);

    /// <summary>Whether a value holds a <see cref="Symbol"/> (alone or inside a string built from it).</summary>
    public static bool IsSymbolic(JToken token) =>
        token.Type == JTokenType.String && ((string)token!).Contains(SymbolStart, StringComparison.Ordinal);

    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>A value as ARM writes it into a string: <c>string(true)</c> is "True", objects and arrays compact JSON.</summary>
    public static string Text(JToken token) => token.Type switch
    {
        JTokenType.String => (string)token!,
        JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)!,
        JTokenType.Boolean => (bool)token ? "True" : "False",
        JTokenType.Null => "",
        _ => token.ToString(Newtonsoft.Json.Formatting.None),
    };

    /// <summary>Every deployed resource of this template and of its modules (recursively), copy loops expanded,
    /// resources whose condition is false left out.</summary>
    public IReadOnlyList<ArmResource> ExpandResources() =>
        OwnResources().Concat(Modules().Values.SelectMany(m => m.ExpandResources())).ToList();

    /// <summary>This template and every module it deploys, recursively.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules() => new[] { this }.Concat(Modules().Values.SelectMany(m => m.SelfAndModules()));

    /// <summary>This template's own deployed resources (its module deployments included, their content not).</summary>
    public IReadOnlyList<ArmResource> OwnExpandedResources() => OwnResources();

    /// <summary>The resources as this template declares them, unevaluated: the <c>resources</c> array, or the values
    /// of its symbolic-name object (languageVersion 2.0); <c>existing</c> references are not deployed and left out.</summary>
    public IEnumerable<JObject> DeclaredResources()
    {
        var declared = template["resources"] switch
        {
            JArray array => array.OfType<JObject>(),
            JObject symbolic => symbolic.Properties().Select(p => p.Value).OfType<JObject>(),
            _ => [],
        };
        return declared.Where(r => r["existing"] is not JValue { Type: JTokenType.Boolean } existing || !(bool)existing);
    }

    /// <summary>Whether a declared resource is deployed: its <c>condition</c> evaluated; null when only Azure can decide.</summary>
    public bool? IsDeployed(JObject declaredResource, int? copyIndex = null)
    {
        if (declaredResource["condition"] is not { } condition) return true;
        var value = Evaluate(condition, Scope.Empty.WithCopy(CopyLoopName(declaredResource), copyIndex));
        if (value.Type == JTokenType.Boolean) return (bool)value;
        if (IsSymbolic(value)) return null;
        Unknown($"the condition of {(string?)declaredResource["type"]} is {value.Type} '{Text(value)}', not a boolean");
        return null;
    }

    /// <summary>The template a declared <c>Microsoft.Resources/deployments</c> resource deploys, in its own scope.</summary>
    public ArmTemplate ModuleOf(JObject deployment)
    {
        if (modulesByDeclaration.TryGetValue(deployment, out var known)) return known;
        var name = Text(Evaluate(deployment["name"]!));
        if (deployment["copy"] is not null) throw new ArmEvaluationException($"Deployment '{name}' is a module loop, which this evaluator does not expand.");
        var properties = deployment["properties"] as JObject ?? throw new ArmEvaluationException($"Deployment '{name}' has no properties.");
        var nested = properties["template"] as JObject
            ?? throw new ArmEvaluationException($"Deployment '{name}' has no inline template (a linked template is read only in Azure).");
        var inner = string.Equals((string?)properties.SelectToken("expressionEvaluationOptions.scope"), "inner", StringComparison.OrdinalIgnoreCase);
        var given = properties["parameters"] as JObject ?? [];
        var path = DeploymentPath.Length == 0 ? name : $"{DeploymentPath}/{name}";
        // Inner scope (every Bicep module): the module's own parameters, given by the deployment. Outer scope: the
        // deploying template's parameters and variables.
        var module = inner
            ? new ArmTemplate(nested, path, null, unknowns, parameter => GivenValue(given, parameter), null)
            : new ArmTemplate(nested, path, null, unknowns, null, this);
        return modulesByDeclaration[deployment] = module;
    }

    public JToken Variable(string name) => VariableValue(name);

    public JToken Parameter(string name) => ParameterValue(name);

    /// <summary>The evaluated value of one output of this template.</summary>
    public JToken Output(string name)
    {
        var declaration = template["outputs"]?[name] as JObject ?? throw new ArmEvaluationException($"{Describe()} has no output '{name}'.");
        if (declaration["copy"] is JObject copy)
        {
            return CopyLoop(copy, copy["input"]!, Scope.Empty, null);
        }
        return Evaluate(declaration["value"]!, Scope.Empty);
    }

    /// <summary>Evaluates every expression string inside <paramref name="token"/> (property names and property copy loops included).</summary>
    public JToken Evaluate(JToken token, int? copyIndex = null) => Evaluate(token, Scope.Empty.WithCopy(null, copyIndex));

    public JToken EvaluateExpression(string expression, int? copyIndex = null) =>
        EvaluateExpression(expression, Scope.Empty.WithCopy(null, copyIndex));

    private static Dictionary<string, JToken> ValuesOf(IEnumerable<JObject> parameterFiles)
    {
        var values = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parameterFiles.SelectMany(f => (f["parameters"] as JObject ?? []).Properties()))
            values[parameter.Name] = parameter.Value["value"]?.DeepClone() ?? Symbol($"parameters('{parameter.Name}')");
        return values;
    }

    private JToken? GivenValue(JObject given, string parameter)
    {
        if (!given.TryGetValue(parameter, StringComparison.OrdinalIgnoreCase, out var declaration)) return null;
        // A Key Vault reference ({"reference": {"keyVault": ...}, "secretName": ...}) is resolved by Azure.
        return declaration["value"] is { } value ? Evaluate(value, Scope.Empty) : Symbol($"parameters('{parameter}') from Key Vault");
    }

    private string Describe() => DeploymentPath.Length == 0 ? "the entry template" : $"module '{DeploymentPath}'";

    private JToken Unknown(string what) =>
        unknowns == UnknownExpressions.BecomeSymbols ? Symbol(what) : throw new ArmEvaluationException($"{Describe()}: {what}.");

    private IReadOnlyList<ArmResource> OwnResources()
    {
        if (ownResources is not null) return ownResources;
        var result = new List<ArmResource>();
        foreach (var resource in DeclaredResources())
        {
            if (resource["copy"] is JObject copy)
            {
                var count = Evaluate(copy["count"]!, Scope.Empty);
                if (count.Type != JTokenType.Integer)
                {
                    Unknown($"the copy loop of {(string?)resource["type"]} counts {Text(count)}");
                    continue;
                }
                for (var i = 0; i < (int)count; i++)
                {
                    if (IsDeployed(resource, i) != false) result.Add(ToResource(resource, i));
                }
            }
            else if (IsDeployed(resource) != false)
            {
                result.Add(ToResource(resource, null));
            }
        }
        return ownResources = result;
    }

    private Dictionary<string, ArmTemplate> Modules()
    {
        if (modules is not null) return modules;
        var result = new Dictionary<string, ArmTemplate>(StringComparer.OrdinalIgnoreCase);
        foreach (var deployment in DeclaredResources().Where(r => string.Equals((string?)r["type"], DeploymentsType, StringComparison.OrdinalIgnoreCase)))
        {
            if (IsDeployed(deployment) == false) continue;
            var module = ModuleOf(deployment);
            result[module.DeploymentPath.Split('/')[^1]] = module;
        }
        return modules = result;
    }

    private ArmResource ToResource(JObject resource, int? copyIndex)
    {
        if (string.Equals((string?)resource["type"], DeploymentsType, StringComparison.OrdinalIgnoreCase))
        {
            // A module: its template is evaluated in its own scope (ModuleOf), never in this one.
            resource = (JObject)resource.DeepClone();
            resource["properties"] = new JObject { ["mode"] = resource.SelectToken("properties.mode")?.DeepClone() };
        }
        var evaluated = (JObject)Evaluate(resource, Scope.Empty.WithCopy(CopyLoopName(resource), copyIndex));
        return new ArmResource(Text(evaluated["type"]!), Text(evaluated["name"]!), evaluated.Value<string>("scope"), evaluated, DeploymentPath);
    }

    private static string? CopyLoopName(JObject resource) => (string?)resource.SelectToken("copy.name");

    private JToken Evaluate(JToken token, Scope scope)
    {
        switch (token)
        {
            case JObject obj:
                var result = new JObject();
                foreach (var property in obj.Properties())
                {
                    // Property loops: "copy": [{"name": "x", "count": n, "input": {...}}] gives the property x an array.
                    if (property.Name == "copy" && property.Value is JArray loops && loops.Count > 0 && loops.All(l => l is JObject { } o && o["input"] is not null))
                    {
                        foreach (var loop in loops.Cast<JObject>())
                        {
                            var loopName = Text(Evaluate(loop["name"]!, scope));
                            result[loopName] = CopyLoop(loop, loop["input"]!, scope, loopName);
                        }
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

    private JToken CopyLoop(JObject loop, JToken input, Scope scope, string? loopName)
    {
        var count = Evaluate(loop["count"]!, scope);
        if (count.Type != JTokenType.Integer) return new JArray(Unknown($"copy loop '{loopName}' over {Text(count)}"));
        return new JArray(Enumerable.Range(0, (int)count).Select(i => Evaluate(input, scope.WithCopy(loopName, i))));
    }

    private JToken EvaluateExpression(string expression, Scope scope)
    {
        try
        {
            return EvaluateNode(Parse(expression), scope);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or ArgumentException or OverflowException or Newtonsoft.Json.JsonException)
        {
            throw new ArmEvaluationException($"{Describe()}: {expression}: {ex.Message}");
        }
    }

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
        if (outerScope is not null) return outerScope.ParameterValue(name);
        if (parameterValues.TryGetValue(name, out var value)) return value;
        if (givenParameter(name) is { } given) return parameterValues[name] = given;
        if (template["parameters"]?[name] is not JObject declaration) return Unknown($"parameters('{name}') is not declared");
        if (declaration["defaultValue"] is { } defaultValue) return parameterValues[name] = Evaluate(defaultValue, Scope.Empty);
        // A required parameter without a value (a secret, a principal id): a symbol, never a real value.
        return Symbol($"parameters('{name}')");
    }

    private JToken VariableValue(string name)
    {
        if (outerScope is not null) return outerScope.VariableValue(name);
        if (variableCache.TryGetValue(name, out var cached)) return cached;
        var declaration = template["variables"]?[name];
        if (declaration is null && (template["variables"]?["copy"] as JArray)?.OfType<JObject>()
                .FirstOrDefault(l => string.Equals((string?)l["name"], name, StringComparison.OrdinalIgnoreCase)) is { } loop)
        {
            return variableCache[name] = CopyLoop(loop, loop["input"]!, Scope.Empty, name);
        }
        if (declaration is null) return Unknown($"variables('{name}') is not declared");
        if (!variablesBeingEvaluated.Add(name)) return Unknown($"variables('{name}') refers to itself");
        try
        {
            return variableCache[name] = Evaluate(declaration, Scope.Empty);
        }
        finally
        {
            variablesBeingEvaluated.Remove(name);
        }
    }

    /// <summary>resourceId([subscriptionId], [resourceGroupName], type, name1, name2, ...): the type is the first argument holding a '/'.</summary>
    private static string ResourceId(string scope, IReadOnlyList<string> args, bool resourceGroupScope)
    {
        var typeIndex = args.ToList().FindIndex(a => a.Contains('/'));
        if (typeIndex < 0) throw new ArmEvaluationException($"resourceId({string.Join(", ", args)}) names no resource type.");
        if (resourceGroupScope && typeIndex == 2) scope = $"/subscriptions/{args[0]}/resourceGroups/{args[1]}";
        else if (resourceGroupScope && typeIndex == 1) scope = $"/subscriptions/{SubscriptionId}/resourceGroups/{args[0]}";
        else if (!resourceGroupScope && typeIndex == 1) scope = $"/subscriptions/{args[0]}";
        var typeSegments = args[typeIndex].Split('/');
        var names = args.Skip(typeIndex + 1).ToArray();
        if (typeSegments.Length - 1 != names.Length)
        {
            throw new ArmEvaluationException($"resourceId('{args[typeIndex]}', ...) needs {typeSegments.Length - 1} names, got {names.Length}.");
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
        var bound = scope;
        for (var i = 0; i < parameterNames.Count; i++) bound = bound.WithLambdaVariable(parameterNames[i], values[i]);
        return EvaluateNode(call.Arguments[^1], bound);
    }

    /// <summary>A boolean argument; null when it is a symbol (only Azure can decide).</summary>
    private bool? Condition(JToken token)
    {
        if (token.Type == JTokenType.Boolean) return (bool)token;
        if (!IsSymbolic(token)) Unknown($"expected a boolean, got {token.Type} '{Text(token)}'");
        return null;
    }

    private JToken Call(FunctionCall call, Scope scope)
    {
        var function = call.Name.ToLowerInvariant();
        var nodes = call.Arguments;
        // Functions whose arguments are not all evaluated first: if() evaluates only the branch it takes; lambdas run per item.
        switch (function)
        {
            case "if":
                var condition = EvaluateNode(nodes[0], scope);
                return Condition(condition) switch
                {
                    true => EvaluateNode(nodes[1], scope),
                    false => EvaluateNode(nodes[2], scope),
                    null => Symbol($"if({Text(condition)}, ...)"),
                };
            case "lambda":
                throw new ArmEvaluationException("A lambda(...) outside a function that takes one.");
            case "map":
                return new JArray(AsArray(EvaluateNode(nodes[0], scope), "map").Select((item, i) => Apply(nodes[1], scope, item, new JValue(i))));
            case "filter":
                return new JArray(AsArray(EvaluateNode(nodes[0], scope), "filter")
                    .Where((item, i) => Condition(Apply(nodes[1], scope, item, new JValue(i))) != false).Select(t => t.DeepClone()));
            case "reduce":
                return AsArray(EvaluateNode(nodes[0], scope), "reduce").Select((item, i) => (item, i))
                    .Aggregate(EvaluateNode(nodes[1], scope), (accumulated, x) => Apply(nodes[2], scope, accumulated, x.item, new JValue(x.i)));
            case "sort":
                var sorted = AsArray(EvaluateNode(nodes[0], scope), "sort").ToList();
                sorted.Sort((a, b) => Condition(Apply(nodes[1], scope, a, b)) == true ? -1 : Condition(Apply(nodes[1], scope, b, a)) == true ? 1 : 0);
                return new JArray(sorted.Select(t => t.DeepClone()));
            case "toobject":
            {
                var result = new JObject();
                foreach (var item in AsArray(EvaluateNode(nodes[0], scope), "toObject"))
                {
                    result[Text(Apply(nodes[1], scope, item))] = nodes.Count > 2 ? Apply(nodes[2], scope, item) : item.DeepClone();
                }
                return result;
            }
            case "mapvalues":
            {
                var source = EvaluateNode(nodes[0], scope) as JObject ?? throw new ArmEvaluationException("mapValues() of a non-object.");
                return new JObject(source.Properties().Select(p => new JProperty(p.Name, Apply(nodes[1], scope, p.Value))));
            }
            case "lambdavariables":
            {
                var name = Text(EvaluateNode(nodes[0], scope));
                return scope.LambdaVariable(name) ?? Unknown($"lambdaVariables('{name}') outside its lambda");
            }
        }

        var args = nodes.Select(n => EvaluateNode(n, scope)).ToList();
        string Arg(int i) => Text(args[i]);
        // list*() (listKeys, listSecrets, ...) answers only in Azure: a symbol naming the resource.
        if (function.StartsWith("list", StringComparison.Ordinal) && function.Length > 4 && args.Count > 0) return Symbol($"{call.Name}({Arg(0)})");
        switch (function)
        {
            case "parameters": return ParameterValue(Arg(0));
            case "variables": return VariableValue(Arg(0));
            case "copyindex":
                var loopName = args.Count > 0 && args[0].Type == JTokenType.String ? Arg(0) : null;
                var offset = args.Count > 0 && args[^1].Type == JTokenType.Integer ? (long)args[^1] : 0;
                return scope.CopyIndex(loopName) is { } index ? new JValue(index + offset) : Unknown($"copyIndex({loopName}) outside its copy loop");
            case "concat":
                return args.Count > 0 && args.All(a => a is JArray)
                    ? new JArray(args.SelectMany(a => (JArray)a).Select(t => t.DeepClone()))
                    : new JValue(string.Concat(args.Select(Text)));
            case "format":
                return new JValue(string.Format(CultureInfo.InvariantCulture, Arg(0), args.Skip(1).Select(FormatArgument).ToArray()));
            case "resourceid": return new JValue(ResourceId(ResourceGroupId, args.Select(Text).ToArray(), resourceGroupScope: true));
            case "subscriptionresourceid": return new JValue(ResourceId($"/subscriptions/{SubscriptionId}", args.Select(Text).ToArray(), resourceGroupScope: false));
            case "tenantresourceid": return new JValue(ResourceId("", args.Select(Text).ToArray(), resourceGroupScope: false));
            case "extensionresourceid": return new JValue(ResourceId(Arg(0), args.Skip(1).Select(Text).ToArray(), resourceGroupScope: false));
            case "reference": return Reference(Arg(0));
            case "utcnow": case "newguid": case "deployment": case "deployer": case "managementgroup": case "pickzones": case "providers":
                return Symbol($"{call.Name}({string.Join(", ", args.Select(Text))})");
            case "guid":
                // Deterministic like ARM's (not the same algorithm): the same arguments give the same name.
                return new JValue(new Guid(MD5.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Text))))).ToString());
            case "uniquestring":
                return new JValue(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Text)))))[..13].ToLowerInvariant());
            case "resourcegroup":
                return new JObject { ["id"] = ResourceGroupId, ["name"] = ResourceGroupName, ["type"] = "Microsoft.Resources/resourceGroups", ["location"] = Location, ["tags"] = new JObject() };
            case "subscription":
                return new JObject { ["id"] = $"/subscriptions/{SubscriptionId}", ["subscriptionId"] = SubscriptionId, ["tenantId"] = TenantId, ["displayName"] = "orders-test" };
            case "tenant":
                return new JObject { ["tenantId"] = TenantId, ["countryCode"] = "DE", ["displayName"] = "orders-test" };
            case "environment":
                return new JObject
                {
                    ["name"] = "AzureCloud",
                    ["resourceManager"] = "https://management.azure.com/",
                    ["authentication"] = new JObject { ["loginEndpoint"] = "https://login.microsoftonline.com/" },
                    ["suffixes"] = new JObject { ["storage"] = "core.windows.net", ["keyvaultDns"] = ".vault.azure.net" },
                };
            case "string": return new JValue(Text(args[0]));
            case "int": return long.TryParse(Text(args[0]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? new JValue(number) : Unknown($"int({Text(args[0])})");
            case "bool": return bool.TryParse(Text(args[0]), out var flag) ? new JValue(flag) : Unknown($"bool({Text(args[0])})");
            case "json": return Arg(0) == "null" ? JValue.CreateNull() : IsSymbolic(args[0]) ? args[0] : JToken.Parse(Arg(0));
            case "null": return JValue.CreateNull();
            case "true": return new JValue(true);
            case "false": return new JValue(false);
            case "tolower": return new JValue(Arg(0).ToLowerInvariant());
            case "toupper": return new JValue(Arg(0).ToUpperInvariant());
            case "trim": return new JValue(Arg(0).Trim());
            case "replace": return new JValue(Arg(0).Replace(Arg(1), Arg(2), StringComparison.Ordinal));
            case "split": return new JArray(Arg(0).Split(args[1] is JArray separators ? separators.Select(Text).ToArray() : [Arg(1)], StringSplitOptions.None));
            case "join": return new JValue(string.Join(Arg(1), AsArray(args[0], "join").Select(Text)));
            case "startswith": return new JValue(Arg(0).StartsWith(Arg(1), StringComparison.OrdinalIgnoreCase));
            case "endswith": return new JValue(Arg(0).EndsWith(Arg(1), StringComparison.OrdinalIgnoreCase));
            case "base64": return new JValue(Convert.ToBase64String(Encoding.UTF8.GetBytes(Arg(0))));
            case "uri": return new JValue(new Uri(new Uri(Arg(0)), Arg(1)).ToString());
            case "take":
                return args[0] is JArray takeArray
                    ? new JArray(takeArray.Take(ToInt(args[1])).Select(t => t.DeepClone()))
                    : new JValue(new string(Arg(0).Take(ToInt(args[1])).ToArray()));
            case "skip":
                return args[0] is JArray skipArray
                    ? new JArray(skipArray.Skip(ToInt(args[1])).Select(t => t.DeepClone()))
                    : new JValue(new string(Arg(0).Skip(ToInt(args[1])).ToArray()));
            case "substring":
            {
                var text = Arg(0);
                var start = ToInt(args[1]);
                var length = args.Count > 2 ? ToInt(args[2]) : text.Length - start;
                if (start < 0 || length < 0 || start + length > text.Length) throw new ArmEvaluationException($"substring('{text}', {start}, {length}) is out of range.");
                return new JValue(text.Substring(start, length));
            }
            case "first":
                return args[0] is JArray firstArray ? firstArray.FirstOrDefault()?.DeepClone() ?? JValue.CreateNull() : new JValue(Arg(0).Length > 0 ? Arg(0)[..1] : "");
            case "last":
                return args[0] is JArray lastArray ? lastArray.LastOrDefault()?.DeepClone() ?? JValue.CreateNull() : new JValue(Arg(0).Length > 0 ? Arg(0)[^1..] : "");
            case "length":
                return new JValue(args[0] switch { JArray a => a.Count, JObject o => o.Count, var v => Text(v).Length });
            case "empty":
                return new JValue(args[0] switch { JArray a => a.Count == 0, JObject o => o.Count == 0, { Type: JTokenType.Null } => true, var v => Text(v).Length == 0 });
            case "contains":
                // "when testing if an object contains a key, the comparison is case-insensitive" (template-functions-object#contains).
                return new JValue(args[0] switch
                {
                    JObject o => o.Properties().Any(p => p.Name.Equals(Arg(1), StringComparison.OrdinalIgnoreCase)),
                    JArray a => a.Any(x => JToken.DeepEquals(x, args[1])),
                    var v => Text(v).Contains(Arg(1), StringComparison.Ordinal),
                });
            case "equals": return new JValue(JToken.DeepEquals(args[0], args[1]));
            case "not": return Condition(args[0]) is { } negated ? new JValue(!negated) : Symbol($"not({Arg(0)})");
            case "and":
            case "or":
                var operands = args.Select(Condition).ToList();
                if (operands.Contains(function == "and" ? false : true)) return new JValue(function == "or");
                return operands.Contains(null) ? Symbol($"{call.Name}(...)") : new JValue(function == "and");
            case "coalesce":
                return args.FirstOrDefault(a => a.Type != JTokenType.Null)?.DeepClone() ?? JValue.CreateNull();
            case "greater": case "greaterorequals": case "less": case "lessorequals":
                if (Compare(args[0], args[1]) is not { } order) return Symbol($"{call.Name}({Arg(0)}, {Arg(1)})");
                return new JValue(function switch { "greater" => order > 0, "greaterorequals" => order >= 0, "less" => order < 0, _ => order <= 0 });
            case "add": case "sub": case "mul": case "div": case "mod":
                if (args[0].Type != JTokenType.Integer || args[1].Type != JTokenType.Integer) return Unknown($"{call.Name}({Arg(0)}, {Arg(1)})");
                long x = (long)args[0], y = (long)args[1];
                return new JValue(function switch { "add" => x + y, "sub" => x - y, "mul" => x * y, "div" => x / y, _ => x % y });
            case "min": return new JValue(args.SelectMany(a => a as JArray ?? [a]).Min(a => ToInt(a)));
            case "max": return new JValue(args.SelectMany(a => a as JArray ?? [a]).Max(a => ToInt(a)));
            case "range": return new JArray(Enumerable.Range(ToInt(args[0]), ToInt(args[1])).Select(i => new JValue(i)));
            case "createarray": return new JArray(args.Select(a => a.DeepClone()));
            case "createobject":
                var created = new JObject();
                for (var i = 0; i + 1 < args.Count; i += 2) created[Arg(i)] = args[i + 1].DeepClone();
                return created;
            case "union":
                if (args.All(a => a is JArray)) return new JArray(args.SelectMany(a => (JArray)a).Distinct(JToken.EqualityComparer).Select(t => t.DeepClone()));
                // Objects merge recursively; a nested array is replaced, not merged (template-functions-object#union).
                var merged = new JObject();
                foreach (var o in args)
                {
                    if (o is not JObject obj) return Unknown($"union() of an object and a {o.Type} '{Text(o)}'");
                    merged.Merge(obj.DeepClone(), new JsonMergeSettings { MergeArrayHandling = MergeArrayHandling.Replace, MergeNullValueHandling = MergeNullValueHandling.Merge });
                }
                return merged;
            case "shallowmerge":
                var shallow = new JObject();
                foreach (var o in AsArray(args[0], "shallowMerge").OfType<JObject>()) foreach (var p in o.Properties()) shallow[p.Name] = p.Value.DeepClone();
                return shallow;
            case "trygetobject":
            case "tryget":
            {
                JToken? current = args[0];
                foreach (var key in args.Skip(1))
                {
                    current = current switch
                    {
                        JObject o => o.TryGetValue(Text(key), StringComparison.OrdinalIgnoreCase, out var v) ? v : null,
                        JArray a when key.Type == JTokenType.Integer && ToInt(key) < a.Count => a[ToInt(key)],
                        _ => null,
                    };
                    if (current is null) return JValue.CreateNull();
                }
                return current!.DeepClone();
            }
            case "items":
                return args[0] is JObject itemsOf
                    ? new JArray(itemsOf.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new JObject { ["key"] = p.Name, ["value"] = p.Value.DeepClone() }))
                    : Unknown($"items() of {args[0].Type} '{Arg(0)}'");
            case "objectkeys":
                return args[0] is JObject keysOf ? new JArray(keysOf.Properties().Select(p => new JValue(p.Name))) : Unknown($"objectKeys() of {args[0].Type} '{Arg(0)}'");
            case "flatten":
                return new JArray(AsArray(args[0], "flatten").SelectMany(a => AsArray(a, "flatten")).Select(t => t.DeepClone()));
            default:
                return Unknown($"the function '{call.Name}' is not known to this evaluator (add it, or avoid it in the template)");
        }
    }

    private static object FormatArgument(JToken token) => token.Type switch
    {
        JTokenType.Integer => (long)token,
        JTokenType.Float => (double)token,
        _ => Text(token),
    };

    private static int? Compare(JToken a, JToken b)
    {
        if (a.Type == JTokenType.Integer && b.Type == JTokenType.Integer) return ((long)a).CompareTo((long)b);
        if (a.Type == JTokenType.String && b.Type == JTokenType.String && !IsSymbolic(a) && !IsSymbolic(b)) return string.CompareOrdinal((string)a!, (string)b!);
        return null;
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
        return Symbol($"reference({resourceId})");
    }

    private static JArray AsArray(JToken token, string function) =>
        token as JArray ?? throw new ArmEvaluationException($"{function}() expects an array, got {token.Type} '{Text(token)}'.");

    private static int ToInt(JToken token) =>
        token.Type == JTokenType.Integer ? (int)token : throw new ArmEvaluationException($"Expected an integer, got {token.Type} '{Text(token)}'.");

    private JToken Member(JToken target, string name) => target switch
    {
        // ARM reads property names without regard to case.
        JObject obj => obj.TryGetValue(name, StringComparison.OrdinalIgnoreCase, out var value) ? value : Unknown($"the object has no property '{name}'"),
        // A symbol stays a symbol: ⟪reference(x)⟫.principalId is ⟪reference(x).principalId⟫.
        _ when IsSymbolic(target) => new JValue(((string)target!).TrimEnd(SymbolEnd[0]) + "." + name + SymbolEnd),
        _ => Unknown($"cannot read '{name}' of {target.Type} '{Text(target)}'"),
    };

    private JToken Index(JToken target, JToken index) => target switch
    {
        JArray array when index.Type == JTokenType.Integer => (int)index < array.Count
            ? array[(int)index]
            : throw new ArmEvaluationException($"Index {(int)index} is outside an array of {array.Count}."),
        JObject => Member(target, Text(index)),
        _ when IsSymbolic(target) => new JValue(((string)target!).TrimEnd(SymbolEnd[0]) + $"[{Text(index)}]" + SymbolEnd),
        _ => Unknown($"cannot index {target.Type} '{Text(target)}' with '{Text(index)}'"),
    };

    /// <summary>The copy indices and lambda variables in force while evaluating.</summary>
    private sealed record Scope(long? CurrentCopyIndex, ImmutableDictionary<string, long> CopyIndices, ImmutableDictionary<string, JToken> LambdaVariables)
    {
        public static readonly Scope Empty = new(null, ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase),
            ImmutableDictionary<string, JToken>.Empty.WithComparers(StringComparer.Ordinal));

        public Scope WithCopy(string? loop, long? index) => index is null ? this
            : this with { CurrentCopyIndex = index, CopyIndices = loop is null ? CopyIndices : CopyIndices.SetItem(loop, index.Value) };

        public Scope WithLambdaVariable(string name, JToken value) => this with { LambdaVariables = LambdaVariables.SetItem(name, value) };

        public long? CopyIndex(string? loop) => loop is null ? CurrentCopyIndex : CopyIndices.TryGetValue(loop, out var index) ? index : null;

        public JToken? LambdaVariable(string name) => LambdaVariables.TryGetValue(name, out var value) ? value : null;
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
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$' or '#')) position++;
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

/// <summary>The template uses something the evaluator cannot read, or something Azure Resource Manager would reject.</summary>
public sealed class ArmEvaluationException(string message) : Exception(message);
