using System.Text;
using System.Text.RegularExpressions;

namespace ServiceBus.Local.Filters;

internal enum PropertyScope { User, System }

internal sealed class EvaluationContext(IFilterMessage message, IReadOnlyDictionary<string, object?> parameters)
{
    public IFilterMessage Message { get; } = message;
    public IReadOnlyDictionary<string, object?> Parameters { get; } = parameters;
}

/// <summary>A node of a parsed SQL filter or action expression. Evaluation returns null for SQL's unknown.</summary>
internal abstract class SqlNode
{
    public abstract object? Evaluate(EvaluationContext context);
}

internal sealed class ConstantNode(object? value) : SqlNode
{
    public object? Value { get; } = value;
    public override object? Evaluate(EvaluationContext context) => Value;
}

internal sealed class PropertyNode(PropertyScope scope, string name) : SqlNode
{
    public PropertyScope Scope { get; } = scope;
    public string Name { get; } = name;

    public override object? Evaluate(EvaluationContext context) => Read(context.Message, Scope, Name);

    public static object? Read(IFilterMessage message, PropertyScope scope, string name)
    {
        if (scope == PropertyScope.System)
        {
            // Documented: a non-existent system property is an error, a non-existent user property is unknown.
            if (!message.TryGetSystemProperty(name, out var sys)) throw new FilterException($"Property 'sys.{name}' does not exist.");
            return SqlValues.Normalize(sys);
        }
        return message.TryGetUserProperty(name, out var user) ? SqlValues.Normalize(user) : null;
    }

    public bool Exists(IFilterMessage message) => Scope == PropertyScope.System
        ? message.TryGetSystemProperty(Name, out var sys) && sys is not null
        : message.TryGetUserProperty(Name, out _);

    /// <summary>Accepts "name", "user.name" and "sys.name" (the argument of property()).</summary>
    public static PropertyNode FromText(string text)
    {
        var dot = text.IndexOf('.');
        if (dot > 0)
        {
            var scope = text[..dot];
            if (scope.Equals("sys", StringComparison.OrdinalIgnoreCase)) return new PropertyNode(PropertyScope.System, text[(dot + 1)..]);
            if (scope.Equals("user", StringComparison.OrdinalIgnoreCase)) return new PropertyNode(PropertyScope.User, text[(dot + 1)..]);
        }
        return new PropertyNode(PropertyScope.User, text);
    }
}

internal sealed class ParameterNode(string name) : SqlNode
{
    public override object? Evaluate(EvaluationContext context)
    {
        if (PropertyLookup.TryGet(context.Parameters, name, out var value, out _)) return SqlValues.Normalize(value);
        throw new FilterException($"Parameter '{name}' has no value.");
    }
}

internal sealed class NewIdNode : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => Guid.NewGuid();
}

internal sealed class PropertyFunctionNode(SqlNode name) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => name.Evaluate(context) switch
    {
        null => null,
        string text => PropertyNode.FromText(text).Evaluate(context),
        var other => throw new FilterException($"property() takes a string, not '{SqlValues.TypeName(other)}'."),
    };
}

internal sealed class UnaryNode(string op, SqlNode operand) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) =>
        op == "-" ? SqlValues.Negate(operand.Evaluate(context)) : SqlValues.Plus(operand.Evaluate(context));
}

internal sealed class ArithmeticNode(string op, SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => SqlValues.Arithmetic(op, left.Evaluate(context), right.Evaluate(context));
}

internal sealed class ComparisonNode(string op, SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => SqlValues.Compare(op, left.Evaluate(context), right.Evaluate(context));
}

internal static class Truth
{
    /// <summary>A predicate's operand must be boolean or unknown.</summary>
    public static bool? Of(object? value) => value switch
    {
        null => null,
        bool b => b,
        _ => throw new FilterException($"Expected a boolean, found a value of type '{SqlValues.TypeName(value)}'."),
    };
}

internal sealed class AndNode(SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(EvaluationContext context)
    {
        var l = Truth.Of(left.Evaluate(context));
        if (l == false) return false;
        var r = Truth.Of(right.Evaluate(context));
        if (r == false) return false;
        return l == true && r == true ? true : null;
    }
}

internal sealed class OrNode(SqlNode left, SqlNode right) : SqlNode
{
    public override object? Evaluate(EvaluationContext context)
    {
        var l = Truth.Of(left.Evaluate(context));
        if (l == true) return true;
        var r = Truth.Of(right.Evaluate(context));
        if (r == true) return true;
        return l == false && r == false ? false : null;
    }
}

internal sealed class NotNode(SqlNode operand) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => Truth.Of(operand.Evaluate(context)) is bool b ? !b : null;
}

internal sealed class IsNullNode(SqlNode operand, bool negated) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => (operand.Evaluate(context) is null) != negated;
}

internal sealed class ExistsNode(PropertyNode property) : SqlNode
{
    public override object? Evaluate(EvaluationContext context) => property.Exists(context.Message);
}

internal sealed class InNode(SqlNode operand, IReadOnlyList<SqlNode> items, bool negated) : SqlNode
{
    public override object? Evaluate(EvaluationContext context)
    {
        var value = operand.Evaluate(context);
        if (value is null) return null; // documented: unknown on the left makes IN unknown
        foreach (var item in items)
        {
            if (SqlValues.Compare("=", value, item.Evaluate(context)) == true) return !negated;
        }
        return negated;
    }
}

internal sealed class LikeNode(SqlNode operand, SqlNode pattern, SqlNode? escape, bool negated) : SqlNode
{
    private Regex? cached;
    private string? cachedKey;

    public override object? Evaluate(EvaluationContext context)
    {
        var value = operand.Evaluate(context);
        var patternValue = pattern.Evaluate(context);
        var escapeValue = escape?.Evaluate(context);
        if (value is null || patternValue is null || (escape is not null && escapeValue is null)) return null;
        if (value is not string text) throw new FilterException($"LIKE needs a string operand, not '{SqlValues.TypeName(value)}'.");
        if (patternValue is not string patternText) throw new FilterException($"A LIKE pattern must be a string, not '{SqlValues.TypeName(patternValue)}'.");
        char? escapeChar = null;
        if (escape is not null)
        {
            if (escapeValue is not string e || e.Length != 1) throw new FilterException("The ESCAPE character must be a string of length 1.");
            escapeChar = e[0];
        }
        var key = patternText + "\0" + escapeChar;
        var regex = cachedKey == key && cached is not null ? cached : BuildRegex(patternText, escapeChar);
        (cached, cachedKey) = (regex, key);
        return regex.IsMatch(text) != negated;
    }

    private static Regex BuildRegex(string pattern, char? escape)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (escape is char e && c == e)
            {
                if (i + 1 >= pattern.Length) throw new FilterException("A LIKE pattern cannot end with its escape character.");
                sb.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else if (c == '%') sb.Append(".*");
            else if (c == '_') sb.Append('.');
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
