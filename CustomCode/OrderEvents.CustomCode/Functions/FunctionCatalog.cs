using System.Linq.Expressions;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace OrderEvents.CustomCode.Functions;

public sealed record FunctionParameter(string Name, Type Type, bool IsOptional);

public sealed record FunctionDescriptor(string Name, IReadOnlyList<FunctionParameter> Parameters, Type ReturnType, MethodInfo Method)
{
    /// <summary>Reads the result of the <c>Task&lt;T&gt;</c> the method returns (null when it returns no value): a delegate made
    /// once from the declared return type (a property read by reflection per call, and before that a look-up on each task's
    /// runtime type, which made .NET build a new invoke stub again and again).</summary>
    internal Func<Task, object?>? TaskResult { get; } =
        Method.ReturnType.IsGenericType && Method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? typeof(FunctionDescriptor).GetMethod(nameof(ResultOf), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(Method.ReturnType.GetGenericArguments()[0]).CreateDelegate<Func<Task, object?>>()
            : null;

    /// <summary>Calls the method with bound arguments: a delegate compiled once per function instead of
    /// <see cref="MethodBase.Invoke(object, object[])"/> per call (its argument checks and copies). A null argument for a
    /// value-type parameter is the type's default, as <c>Invoke</c> makes it; an exception the method throws is its own,
    /// not wrapped in a <see cref="TargetInvocationException"/>.</summary>
    internal Func<OrderEventFunctions, object?[], object?> Invoker => invoker ??= CompileInvoker(Method);

    private Func<OrderEventFunctions, object?[], object?>? invoker;

    private static object? ResultOf<T>(Task task) => ((Task<T>)task).Result;

    private static T Argument<T>(object? value) => value is null ? default! : (T)value;

    private static Func<OrderEventFunctions, object?[], object?> CompileInvoker(MethodInfo method)
    {
        var target = Expression.Parameter(typeof(OrderEventFunctions), "functions");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var argument = typeof(FunctionDescriptor).GetMethod(nameof(Argument), BindingFlags.NonPublic | BindingFlags.Static)!;
        var call = Expression.Call(target, method, method.GetParameters().Select((parameter, i) =>
            (Expression)Expression.Call(argument.MakeGenericMethod(parameter.ParameterType), Expression.ArrayIndex(arguments, Expression.Constant(i)))));
        Expression body = method.ReturnType == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : Expression.Convert(call, typeof(object));
        return Expression.Lambda<Func<OrderEventFunctions, object?[], object?>>(body, target, arguments).Compile();
    }

    /// <summary>The method's parameters, cancellation token included, in order (read once: each call binds them).</summary>
    internal ParameterInfo[] MethodParameters { get; } = Method.GetParameters();

    /// <summary>The names a caller may pass, compared without case (as the binding does).</summary>
    internal HashSet<string> ParameterNames { get; } = new(Parameters.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>The same names as declared: workflows spell them so, and an ordinal hash is cheaper than one without case.</summary>
    internal HashSet<string> DeclaredNames { get; } = new(Parameters.Select(p => p.Name), StringComparer.Ordinal);

    /// <summary>How each method parameter is bound, read once from its metadata: the cancellation token, a JSON value
    /// handed over as it is, or a value converted from JSON.</summary>
    internal ParameterBinding[] Bindings { get; } = Method.GetParameters().Select(p => new ParameterBinding(
        p.Name!, p.ParameterType, p.IsOptional, p.ParameterType == typeof(CancellationToken), typeof(JToken).IsAssignableFrom(p.ParameterType))).ToArray();

    /// <summary>Each method parameter's default value (null for none), read once: <see cref="ParameterInfo.DefaultValue"/>
    /// reads the metadata again on every call.</summary>
    internal object?[] DefaultValues { get; } = Method.GetParameters().Select(p => p.IsOptional && p.DefaultValue is not DBNull ? p.DefaultValue : null).ToArray();
}

internal sealed record ParameterBinding(string Name, Type Type, bool IsOptional, bool IsCancellationToken, bool IsJson);

/// <summary>Why a function could not be invoked (not a business failure: those are results).</summary>
public sealed class FunctionInvocationException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary><c>FunctionNotFound</c>, <c>InvalidFunctionParameters</c> or <c>FunctionFailed</c>.</summary>
    public string Code { get; } = code;
}

/// <summary>
/// The catalog of custom-code functions, read from <see cref="OrderEventFunctions"/>: the one list that the
/// local runtime invokes in-process and that the Logic Apps host project must mirror one to one.
/// </summary>
public sealed class FunctionCatalog
{
    /// <summary>How results become the action's <c>body</c>: camelCase properties, enums as text.</summary>
    public static readonly JsonSerializer ResultSerializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        Converters = { new StringEnumConverter() },
        NullValueHandling = NullValueHandling.Include,
        DateParseHandling = DateParseHandling.None,
    });

    private static readonly JsonSerializer ParameterSerializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        Converters = { new StringEnumConverter() },
        DateParseHandling = DateParseHandling.None,
    });

    private static readonly Lazy<IReadOnlyDictionary<string, FunctionDescriptor>> Descriptors = new(ReadDescriptors);

    private readonly OrderEventFunctions functions;

    public FunctionCatalog(OrderEventFunctions functions) => this.functions = functions;

    public static IReadOnlyCollection<FunctionDescriptor> All => Descriptors.Value.Values.ToArray();

    public static FunctionDescriptor? Find(string name) =>
        Descriptors.Value.TryGetValue(name, out var descriptor) ? descriptor : null;

    /// <summary>Invokes a function with the action's <c>parameters</c> object and returns its result as JSON.</summary>
    /// <exception cref="FunctionInvocationException">Unknown function, parameters that do not bind, or an unexpected fault.</exception>
    public async Task<JToken> InvokeAsync(string functionName, JObject? parameters, CancellationToken cancellationToken = default)
    {
        var descriptor = Find(functionName)
            ?? throw new FunctionInvocationException("FunctionNotFound", $"The function '{functionName}' is not in the custom-code catalog.");
        var arguments = BindArguments(descriptor, parameters ?? new JObject(), cancellationToken);
#if DEBUG
        var given = GivenJson(arguments);
#endif
        object? returned;
        try
        {
            returned = descriptor.Invoker(functions, arguments);
        }
        catch (Exception ex)
        {
            // What the method throws before it returns (MethodBase.Invoke wrapped it, whatever it was).
            throw new FunctionInvocationException("FunctionFailed", $"The function '{descriptor.Name}' failed: {ex.Message}", ex);
        }
        try
        {
            if (returned is Task task)
            {
                await task.ConfigureAwait(false);
                returned = descriptor.TaskResult?.Invoke(task);
            }
#if DEBUG
            EnsureUnchanged(descriptor, arguments, given);
#endif
        }
        catch (Exception ex) when (ex is not FunctionInvocationException and not OperationCanceledException)
        {
            throw new FunctionInvocationException("FunctionFailed", $"The function '{descriptor.Name}' failed: {ex.Message}", ex);
        }
        return ResultJson.ToJToken(returned, ResultSerializer);
    }

    private static object?[] BindArguments(FunctionDescriptor descriptor, JObject parameters, CancellationToken cancellationToken)
    {
        var known = descriptor.ParameterNames;
        var declared = descriptor.DeclaredNames;
        for (var property = parameters.First as JProperty; property is not null; property = property.Next as JProperty)
        {
            if (declared.Contains(property.Name) || known.Contains(property.Name)) continue;
            var unknown = parameters.Properties().Select(p => p.Name).Where(n => !known.Contains(n)).ToArray();
            throw new FunctionInvocationException("InvalidFunctionParameters",
                $"The function '{descriptor.Name}' has no parameter(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; it takes {string.Join(", ", descriptor.Parameters.Select(p => $"'{p.Name}'"))}.");
        }

        var bindings = descriptor.Bindings;
        var arguments = new object?[bindings.Length];
        for (var i = 0; i < bindings.Length; i++)
        {
            var parameter = bindings[i];
            if (parameter.IsCancellationToken)
            {
                arguments[i] = cancellationToken;
                continue;
            }
            var value = parameters.GetValue(parameter.Name, StringComparison.OrdinalIgnoreCase);
            if (value is null || value.Type == JTokenType.Undefined)
            {
                if (!parameter.IsOptional)
                {
                    throw new FunctionInvocationException("InvalidFunctionParameters",
                        $"The function '{descriptor.Name}' requires the parameter '{parameter.Name}'.");
                }
                arguments[i] = descriptor.DefaultValues[i];
                continue;
            }
            try
            {
                // JSON parameters are handed over as they are, not copied: a function only reads them. In the local
                // runtime they are the run's own values (a message passed whole is the trigger's body, which the run
                // history records too), so a function that changed one would change the run; in Azure the worker hands
                // a deserialized copy. Specified for every function given a message: When_a_function_is_given_a_message_whole_...
                arguments[i] = parameter.IsJson
                    ? (parameter.Type.IsInstanceOfType(value) ? value : throw new InvalidCastException($"expected {parameter.Type.Name}"))
                    : Plain(value, parameter.Type) ?? value.ToObject(parameter.Type, ParameterSerializer);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidCastException or ArgumentException)
            {
                throw new FunctionInvocationException("InvalidFunctionParameters",
                    $"The parameter '{parameter.Name}' of function '{descriptor.Name}' must be {Describe(parameter.Type)}, but was {value.Type}: {ex.Message}", ex);
            }
        }
        return arguments;
    }

#if DEBUG
    // Debug builds (every test run) check the read-only rule on each call: a function that changed a JSON parameter would
    // have changed the run's own value (see BindArguments), so the call fails instead. Release builds trust the specs.
    private static JToken?[] GivenJson(object?[] arguments) =>
        arguments.Select(argument => argument is JToken token ? token.DeepClone() : null).ToArray();

    private static void EnsureUnchanged(FunctionDescriptor descriptor, object?[] arguments, JToken?[] given)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] is JToken token && !JToken.DeepEquals(token, given[i]))
                throw new InvalidOperationException(
                    $"The function changed its parameter '{descriptor.MethodParameters[i].Name}': a function's JSON parameters are the run's own values and must be read only.");
        }
    }
#endif

    /// <summary>The common cases whose value is the token's own (a string for a string, a 32-bit integer for an int), without
    /// the serializer's reader; null sends every other case through the serializer as before.</summary>
    private static object? Plain(JToken value, Type type) => value switch
    {
        JValue { Type: JTokenType.String, Value: string text } when type == typeof(string) => text,
        JValue { Type: JTokenType.Integer, Value: long number } when (type == typeof(int) || type == typeof(int?)) && number is >= int.MinValue and <= int.MaxValue => (int)number,
        JValue { Type: JTokenType.Boolean, Value: bool flag } when type == typeof(bool) || type == typeof(bool?) => flag,
        _ => null,
    };

    private static string Describe(Type type) => type == typeof(string) ? "a string"
        : type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(bool) ? "a boolean"
        : typeof(JToken).IsAssignableFrom(type) ? "JSON"
        : $"a {type.Name}";

    private static IReadOnlyDictionary<string, FunctionDescriptor> ReadDescriptors() =>
        typeof(OrderEventFunctions).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<WorkflowFunctionAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new FunctionDescriptor(
                x.Attribute!.Name,
                x.Method.GetParameters()
                    .Where(p => p.ParameterType != typeof(CancellationToken))
                    .Select(p => new FunctionParameter(p.Name!, p.ParameterType, p.IsOptional))
                    .ToArray(),
                UnwrapTask(x.Method.ReturnType),
                x.Method))
            .ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    private static Type UnwrapTask(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
}
