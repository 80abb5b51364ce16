using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using static Workflows.Runtime.Expressions.Functions.FunctionTable;

namespace Workflows.Runtime.Expressions.Functions;

/// <summary>Math functions: integer arithmetic when both operands are integers (div truncates, mod keeps the
/// dividend's sign), float otherwise, decimal when a <c>decimal()</c> value is involved.</summary>
internal static class MathFunctions
{
    public const int MaximumRangeCount = 100_000;

    public static void Register(Action<FunctionDefinition> add)
    {
        add(Define("add", 2, 2, static (in FunctionCall c) => Arithmetic(c, '+')));
        add(Define("sub", 2, 2, static (in FunctionCall c) => Arithmetic(c, '-')));
        add(Define("mul", 2, 2, static (in FunctionCall c) => Arithmetic(c, '*')));
        add(Define("div", 2, 2, static (in FunctionCall c) => Arithmetic(c, '/')));
        add(Define("mod", 2, 2, static (in FunctionCall c) => Arithmetic(c, '%')));
        add(Define("max", 1, int.MaxValue, static (in FunctionCall c) => Extreme(c, max: true)));
        add(Define("min", 1, int.MaxValue, static (in FunctionCall c) => Extreme(c, max: false)));
        add(Define("rand", 2, 2, Rand));
        add(Define("range", 2, 2, Range));
    }

    private static JToken Arithmetic(in FunctionCall c, char op)
    {
        var a = c.Number(0);
        var b = c.Number(1);
        try
        {
            if (a.Type == JTokenType.Integer && b.Type == JTokenType.Integer)
            {
                var x = WdlValue.AsLong(a);
                var y = WdlValue.AsLong(b);
                if (op is '/' or '%' && y == 0) throw DivideByZero(c);
                return new JValue(checked(op switch
                {
                    '+' => x + y,
                    '-' => x - y,
                    '*' => x * y,
                    '/' => x / y,
                    _ => x % y,
                }));
            }
            if (WdlValue.IsDecimal(a) || WdlValue.IsDecimal(b))
            {
                var x = WdlValue.AsDecimal(a);
                var y = WdlValue.AsDecimal(b);
                if (op is '/' or '%' && y == 0) throw DivideByZero(c);
                return new JValue(op switch
                {
                    '+' => x + y,
                    '-' => x - y,
                    '*' => x * y,
                    '/' => x / y,
                    _ => x % y,
                });
            }
            var p = WdlValue.AsDouble(a);
            var q = WdlValue.AsDouble(b);
            if (op is '/' or '%' && q == 0) throw DivideByZero(c);
            return new JValue(op switch
            {
                '+' => p + q,
                '-' => p - q,
                '*' => p * q,
                '/' => p / q,
                _ => p % q,
            });
        }
        catch (OverflowException)
        {
            throw c.Fail("overflowed: the result is outside the range of a 64-bit integer.");
        }
    }

    private static WdlEvaluationException DivideByZero(in FunctionCall c) =>
        c.Fail("cannot divide by zero: attempt to divide an integral or decimal value by zero.");

    private static JToken Extreme(in FunctionCall c, bool max)
    {
        IEnumerable<JToken> values;
        if (c.Count == 1 && c[0] is JArray array)
        {
            if (array.Count == 0) throw c.Fail("expects a non-empty array of numbers.");
            values = array;
        }
        else
        {
            values = c.Arguments;
        }
        JToken? best = null;
        var index = 0;
        foreach (var value in values)
        {
            if (!WdlValue.IsNumber(value))
                throw c.Count == 1 && c[0] is JArray
                    ? c.Fail($"expects an array of numbers; item {index} is of type '{WdlValue.TypeName(value)}'.")
                    : c.TypeError(index, "an integer or a decimal number");
            if (best is null || (max ? Comparison.CompareNumbers(value, best) > 0 : Comparison.CompareNumbers(value, best) < 0)) best = value;
            index++;
        }
        return best!;
    }

    private static JToken Rand(in FunctionCall c)
    {
        var min = c.Integer(0);
        var max = c.Integer(1);
        if (min >= max) throw c.Fail($"expects its first parameter, the minimum '{min}', to be less than its second parameter, the maximum '{max}'.");
        var random = c.Scope.Random ?? Random.Shared;
        return new JValue(random.NextInt64(min, max));
    }

    private static JToken Range(in FunctionCall c)
    {
        var start = c.Integer(0);
        var count = c.Integer(1);
        if (count < 0 || count > MaximumRangeCount)
            throw c.Fail($"expects its second parameter, the count, to be a positive integer no larger than {MaximumRangeCount}; it was '{count}'.");
        if (start + count > int.MaxValue || start < int.MinValue)
            throw c.Fail($"expects the sum of the start index and the count to be no larger than {int.MaxValue}.");
        var result = new JArray();
        for (var i = 0L; i < count; i++) result.Add(new JValue(start + i));
        return result;
    }
}
