using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Syntax;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions.Functions;

internal delegate JToken FunctionBody(in FunctionCall call);

internal delegate JToken LazyFunctionBody(in LazyCall call);

/// <summary>A template language function: its canonical name, how many arguments it takes, its body.</summary>
internal sealed class FunctionDefinition
{
    public FunctionDefinition(string name, int minArguments, int maxArguments, FunctionBody? body, LazyFunctionBody? lazyBody = null)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        Body = body;
        LazyBody = lazyBody;
    }

    public string Name { get; }

    public int MinArguments { get; }

    /// <summary><see cref="int.MaxValue"/> for variadic functions.</summary>
    public int MaxArguments { get; }

    public FunctionBody? Body { get; }

    /// <summary>For functions that evaluate only some arguments (<c>if</c>, <c>and</c>, <c>or</c>).</summary>
    public LazyFunctionBody? LazyBody { get; }
}

/// <summary>One call with its evaluated arguments, plus typed readers that fail with Microsoft-style messages.</summary>
internal readonly struct FunctionCall(string name, JToken[] arguments, EvaluationContext context)
{
    public string Name { get; } = name;

    public JToken[] Arguments { get; } = arguments;

    public EvaluationContext Context { get; } = context;

    public IExpressionScope Scope => Context.Scope;

    public int Count => Arguments.Length;

    public JToken this[int index] => Arguments[index];

    public bool Has(int index) => index < Arguments.Length;

    public string Text(int index)
    {
        var value = Arguments[index];
        if (value.Type == JTokenType.String) return (string)((JValue)value).Value!;
        // Tokens read with Newtonsoft's default date handling: treat them as the ISO text they came from.
        if (value.Type is JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan) return WdlValue.ToText(value);
        throw TypeError(index, "of type string");
    }

    public string? OptionalText(int index) => Has(index) && !WdlValue.IsNull(Arguments[index]) ? Text(index) : null;

    /// <summary>Strings, or any value written as text (functions documented to convert).</summary>
    public string AnyText(int index) => Context.TextOf(Arguments[index]);

    public long Integer(int index)
    {
        var value = Arguments[index];
        if (value.Type == JTokenType.Integer) return WdlValue.AsLong(value);
        if (value.Type == JTokenType.Float)
        {
            var d = WdlValue.AsDouble(value);
            if (Math.Floor(d) == d && d >= long.MinValue && d <= long.MaxValue) return (long)d;
        }
        throw TypeError(index, "an integer");
    }

    public JToken Number(int index)
    {
        var value = Arguments[index];
        if (WdlValue.IsNumber(value)) return value;
        throw TypeError(index, "an integer or a decimal number");
    }

    public bool Boolean(int index)
    {
        var value = Arguments[index];
        if (value.Type == JTokenType.Boolean) return (bool)((JValue)value).Value!;
        throw TypeError(index, "a boolean");
    }

    public JArray Array(int index)
    {
        if (Arguments[index] is JArray array) return array;
        throw TypeError(index, "an array");
    }

    public JObject Object(int index)
    {
        if (Arguments[index] is JObject obj) return obj;
        throw TypeError(index, "an object");
    }

    public WdlEvaluationException TypeError(int index, string expected) =>
        Errors.InvalidParameterType(Name, index, Arguments.Length, expected, Arguments[index]);

    public WdlEvaluationException Fail(string problem) => Errors.Function(Name, problem);
}

/// <summary>A call whose arguments are evaluated on demand.</summary>
internal readonly struct LazyCall(string name, ExpressionNode[] arguments, EvaluationContext context)
{
    public string Name { get; } = name;

    public int Count => arguments.Length;

    public EvaluationContext Context { get; } = context;

    public JToken Evaluate(int index) => arguments[index].Evaluate(Context);

    public bool Boolean(int index)
    {
        var value = Evaluate(index);
        if (value.Type == JTokenType.Boolean) return (bool)((JValue)value).Value!;
        throw Errors.InvalidParameterType(Name, index, Count, "a boolean", value);
    }
}

/// <summary>Error texts shaped like Microsoft's template language messages.</summary>
internal static class Errors
{
    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    public static string Ordinal(int index) => index < Ordinals.Length ? Ordinals[index] : $"{index + 1}th";

    public static string Help(string function) => $"Please see https://aka.ms/logicexpressions#{function.ToLowerInvariant()} for usage details.";

    public static WdlEvaluationException Function(string function, string problem) =>
        new($"The template language function '{function}' {problem} {Help(function)}");

    public static WdlEvaluationException InvalidParameterType(string function, int index, int count, string expected, JToken actual)
    {
        var which = count == 1 ? "its parameter" : $"its {Ordinal(index)} parameter";
        return new WdlEvaluationException(
            $"The template language function '{function}' expects {which} to be {expected}. The provided value is of type '{WdlValue.TypeName(actual)}'. {Help(function)}");
    }

    /// <summary>Microsoft's wording for a value that cannot be converted (int('abc'), bool('x'), ...).</summary>
    public static WdlEvaluationException InvalidParameter(string function, string detail) =>
        new($"The template language function '{function}' was invoked with a parameter that is not valid. {detail} {Help(function)}");

    public static string CountText(int count) => count switch
    {
        0 => "no parameters",
        1 => "one parameter",
        2 => "two parameters",
        3 => "three parameters",
        4 => "four parameters",
        _ => $"{count} parameters",
    };
}
