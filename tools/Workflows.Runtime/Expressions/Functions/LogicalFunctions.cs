using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Logical comparison functions. <c>and</c>, <c>or</c> and <c>if</c> evaluate only what they need.</summary>
internal static class LogicalFunctions
{
    public static void Register(Action<FunctionDefinition> add)
    {
        add(DefineLazy("and", 1, int.MaxValue, static (in LazyCall c) =>
        {
            for (var i = 0; i < c.Count; i++)
                if (!c.Boolean(i)) return new JValue(false);
            return new JValue(true);
        }));
        add(DefineLazy("or", 1, int.MaxValue, static (in LazyCall c) =>
        {
            for (var i = 0; i < c.Count; i++)
                if (c.Boolean(i)) return new JValue(true);
            return new JValue(false);
        }));
        add(DefineLazy("if", 3, 3, static (in LazyCall c) => c.Boolean(0) ? c.Evaluate(1) : c.Evaluate(2)));
        add(Define("not", 1, 1, static (in FunctionCall c) => new JValue(!c.Boolean(0))));
        add(Define("equals", 2, 2, static (in FunctionCall c) => new JValue(Comparison.AreEqual(c[0], c[1]))));
        add(Define("greater", 2, 2, static (in FunctionCall c) => new JValue(Comparison.Compare(c) > 0)));
        add(Define("greaterOrEquals", 2, 2, static (in FunctionCall c) => new JValue(Comparison.Compare(c) >= 0)));
        add(Define("less", 2, 2, static (in FunctionCall c) => new JValue(Comparison.Compare(c) < 0)));
        add(Define("lessOrEquals", 2, 2, static (in FunctionCall c) => new JValue(Comparison.Compare(c) <= 0)));
    }
}

/// <summary>Equality and ordering of values, shared by the logical and collection functions.</summary>
internal static class Comparison
{
    /// <summary><c>equals()</c>: deep value equality; Microsoft documents <c>equals(true, 1)</c> as true, so a
    /// boolean equals the number 1/0 it stands for.</summary>
    public static bool AreEqual(JToken a, JToken b)
    {
        a = NullAsEmpty(a);
        b = NullAsEmpty(b);
        if (a.Type == JTokenType.Boolean && WdlValue.IsNumber(b)) return BooleanNumber(a, b);
        if (b.Type == JTokenType.Boolean && WdlValue.IsNumber(a)) return BooleanNumber(b, a);
        return WdlValue.ValueEquals(a, b);
    }

    /// <summary>Microsoft's reference: "if you use logical functions or conditions to compare values, null values
    /// are converted to empty string values".</summary>
    private static JToken NullAsEmpty(JToken value) => WdlValue.IsNull(value) ? new JValue(string.Empty) : value;

    private static bool BooleanNumber(JToken boolean, JToken number) =>
        (bool)((JValue)boolean).Value! ? WdlValue.AsDouble(number) == 1 : WdlValue.AsDouble(number) == 0;

    /// <summary>Ordering for greater/less: two numbers, or two strings (ordinal, ignoring case).</summary>
    public static int Compare(in FunctionCall c)
    {
        var a = NullAsEmpty(c[0]);
        var b = NullAsEmpty(c[1]);
        if (WdlValue.IsNumber(a) && WdlValue.IsNumber(b)) return CompareNumbers(a, b);
        if (a.Type == JTokenType.String && b.Type == JTokenType.String)
            return string.Compare((string)((JValue)a).Value!, (string)((JValue)b).Value!, StringComparison.OrdinalIgnoreCase);
        if (a.Type == JTokenType.Boolean && b.Type == JTokenType.Boolean)
            return ((bool)((JValue)a).Value!).CompareTo((bool)((JValue)b).Value!);
        if (!WdlValue.IsNumber(a) && a.Type != JTokenType.String) throw Errors.InvalidParameterType(c.Name, 0, 2, "an integer, a decimal number or a string", a);
        if (!WdlValue.IsNumber(b) && b.Type != JTokenType.String) throw Errors.InvalidParameterType(c.Name, 1, 2, "an integer, a decimal number or a string", b);
        throw c.Fail($"expects parameters of the same type; it was given values of type '{WdlValue.TypeName(a)}' and '{WdlValue.TypeName(b)}'.");
    }

    public static int CompareNumbers(JToken a, JToken b)
    {
        if (a.Type == JTokenType.Integer && b.Type == JTokenType.Integer) return WdlValue.AsLong(a).CompareTo(WdlValue.AsLong(b));
        if (WdlValue.IsDecimal(a) || WdlValue.IsDecimal(b)) return WdlValue.AsDecimal(a).CompareTo(WdlValue.AsDecimal(b));
        return WdlValue.AsDouble(a).CompareTo(WdlValue.AsDouble(b));
    }
}
