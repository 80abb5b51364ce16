using System.Globalization;

namespace ServiceBus.Local.Filters;

/// <summary>
/// Operator semantics of SQL filters: C# implicit conversions and numeric promotion (Int64 → Decimal → Double),
/// with unknown (null) propagating (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter). Operands that C# would not bind are a
/// <see cref="FilterException"/>.
/// </summary>
internal static class SqlValues
{
    /// <summary>Brings a property value to the filter's value space: integral types to Int64, float to Double,
    /// char and Uri to String.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        sbyte v => (long)v, byte v => (long)v, short v => (long)v, ushort v => (long)v,
        int v => (long)v, uint v => (long)v, long v => v,
        ulong v => v <= long.MaxValue ? (long)v : (decimal)v,
        float v => (double)v,
        char v => v.ToString(),
        Uri v => v.ToString(),
        _ => value,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "Null",
        long => "Int64",
        _ => value.GetType().Name,
    };

    private static bool IsNumeric(object value) => value is long or double or decimal;

    private enum NumericKind { Int64, Decimal, Double }

    private static NumericKind Kind(object v) => v switch { long => NumericKind.Int64, decimal => NumericKind.Decimal, _ => NumericKind.Double };

    private static NumericKind Promote(object a, object b) => (NumericKind)Math.Max((int)Kind(a), (int)Kind(b));

    private static double ToDouble(object v) => v switch { long l => l, decimal m => (double)m, double d => d, _ => throw new InvalidCastException() };

    private static decimal ToDecimal(object v) => v switch { long l => l, decimal m => m, _ => throw new InvalidCastException() };

    private static FilterException Mismatch(string op, object a, object b) =>
        new($"Operator '{op}' cannot be applied to operands of type '{TypeName(a)}' and '{TypeName(b)}'.");

    /// <summary>Three-valued comparison: null when either side is unknown.</summary>
    public static bool? Compare(string op, object? left, object? right)
    {
        if (left is null || right is null) return null;
        int? order = null;
        bool? equal = null;
        if (IsNumeric(left) && IsNumeric(right))
        {
            order = Promote(left, right) switch
            {
                NumericKind.Int64 => ((long)left).CompareTo((long)right),
                NumericKind.Decimal => ToDecimal(left).CompareTo(ToDecimal(right)),
                _ => ToDouble(left).CompareTo(ToDouble(right)),
            };
            if (Promote(left, right) == NumericKind.Double && (double.IsNaN(ToDouble(left)) || double.IsNaN(ToDouble(right))))
                return op is "<>" or "!=";
        }
        else if (left is string ls && right is string rs) order = string.CompareOrdinal(ls, rs);
        else if (left is DateTime or DateTimeOffset && right is DateTime or DateTimeOffset) order = ToOffset(left).CompareTo(ToOffset(right));
        else if (left is TimeSpan lt && right is TimeSpan rt) order = lt.CompareTo(rt);
        else if (left is bool lb && right is bool rb) equal = lb == rb;
        else if (left is Guid lg && right is Guid rg) equal = lg == rg;
        else throw Mismatch(op, left, right);

        if (order is int o)
        {
            return op switch
            {
                "=" => o == 0,
                "<>" or "!=" => o != 0,
                "<" => o < 0,
                "<=" => o <= 0,
                ">" => o > 0,
                ">=" => o >= 0,
                _ => throw new FilterException($"Unknown comparison '{op}'."),
            };
        }
        return op switch
        {
            "=" => equal,
            "<>" or "!=" => !equal,
            _ => throw Mismatch(op, left, right),
        };
    }

    private static DateTimeOffset ToOffset(object value) => value switch
    {
        DateTimeOffset o => o,
        DateTime d => d.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : new DateTimeOffset(d),
        _ => throw new InvalidCastException(),
    };

    /// <summary>Equality that never throws: used by correlation filters (exact match, case-sensitive).</summary>
    public static bool SafeEquals(object? left, object? right)
    {
        left = Normalize(left);
        right = Normalize(right);
        if (left is null || right is null) return left is null && right is null;
        try
        {
            return Compare("=", left, right) == true;
        }
        catch (FilterException)
        {
            return false;
        }
    }

    public static object? Arithmetic(string op, object? left, object? right)
    {
        if (left is null || right is null) return null;
        if (op == "+" && (left is string || right is string))
            return ToText(left) + ToText(right); // C# binds string + anything to concatenation
        if (IsNumeric(left) && IsNumeric(right))
        {
            try
            {
                return Promote(left, right) switch
                {
                    NumericKind.Int64 => IntegerOp(op, (long)left, (long)right),
                    NumericKind.Decimal => DecimalOp(op, ToDecimal(left), ToDecimal(right)),
                    _ => DoubleOp(op, ToDouble(left), ToDouble(right)),
                };
            }
            catch (DivideByZeroException)
            {
                throw new FilterException("Attempted to divide by zero.");
            }
            catch (OverflowException ex)
            {
                throw new FilterException(ex.Message);
            }
        }
        return (op, left, right) switch
        {
            ("+", DateTime d, TimeSpan t) => d + t,
            ("+", DateTimeOffset d, TimeSpan t) => d + t,
            ("+", TimeSpan t, DateTime d) => d + t,
            ("+", TimeSpan a, TimeSpan b) => a + b,
            ("-", DateTime d, TimeSpan t) => d - t,
            ("-", DateTimeOffset d, TimeSpan t) => d - t,
            ("-", DateTime a, DateTime b) => a - b,
            ("-", DateTimeOffset a, DateTimeOffset b) => a - b,
            ("-", TimeSpan a, TimeSpan b) => a - b,
            _ => throw Mismatch(op, left, right),
        };
    }

    private static object IntegerOp(string op, long a, long b) => op switch
    {
        "+" => unchecked(a + b),
        "-" => unchecked(a - b),
        "*" => unchecked(a * b),
        "/" => a / b,
        "%" => a % b,
        _ => throw new FilterException($"Unknown operator '{op}'."),
    };

    private static object DecimalOp(string op, decimal a, decimal b) => op switch
    {
        "+" => a + b, "-" => a - b, "*" => a * b, "/" => a / b, "%" => a % b,
        _ => throw new FilterException($"Unknown operator '{op}'."),
    };

    private static object DoubleOp(string op, double a, double b) => op switch
    {
        "+" => a + b, "-" => a - b, "*" => a * b, "/" => a / b, "%" => a % b,
        _ => throw new FilterException($"Unknown operator '{op}'."),
    };

    public static object? Negate(object? value) => value switch
    {
        null => null,
        long l => unchecked(-l),
        double d => -d,
        decimal m => -m,
        TimeSpan t => -t,
        _ => throw new FilterException($"Operator '-' cannot be applied to an operand of type '{TypeName(value)}'."),
    };

    public static object? Plus(object? value) => value switch
    {
        null => null,
        long or double or decimal or TimeSpan => value,
        _ => throw new FilterException($"Operator '+' cannot be applied to an operand of type '{TypeName(value)}'."),
    };

    public static string ToText(object value) => value switch
    {
        string s => s,
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
