using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Engine;

/// <summary>
/// The <c>expression</c> of a Condition (<c>If</c>) action: either an expression string that must yield a
/// boolean, or the designer's object tree of <c>and</c>/<c>or</c>/<c>not</c> and comparison leaves
/// (<c>equals</c>, <c>contains</c>, <c>greater</c>, ...). Leaves are rewritten into calls of the expression
/// language's own functions, so a designer condition compares exactly like the same expression would.
/// </summary>
internal abstract class Condition
{
    private static readonly HashSet<string> Comparisons = new(StringComparer.OrdinalIgnoreCase)
    {
        "equals", "contains", "greater", "greaterOrEquals", "less", "lessOrEquals", "startsWith", "endsWith",
    };

    public abstract bool Evaluate(IExpressionScope scope);

    public static Condition Compile(JToken? token, string where, List<string> errors)
    {
        switch (token)
        {
            case JValue { Type: JTokenType.Boolean } literal:
                return new ExpressionCondition(CompiledTemplate.Compile(literal, where, errors));
            case JValue { Type: JTokenType.String } text:
                return new ExpressionCondition(CompiledTemplate.Compile(text, where, errors));
            case JObject { Count: 1 } node:
            {
                var property = node.Properties().First();
                var name = property.Name;
                if (name.Equals("and", StringComparison.OrdinalIgnoreCase) || name.Equals("or", StringComparison.OrdinalIgnoreCase))
                {
                    if (property.Value is not JArray items)
                    {
                        errors.Add($"{where}: '{name}' must hold an array of conditions.");
                        return new ConstantCondition(false);
                    }
                    var children = items.Select(item => Compile(item, where, errors)).ToArray();
                    return name.Equals("and", StringComparison.OrdinalIgnoreCase) ? new AndCondition(children) : new OrCondition(children);
                }
                if (name.Equals("not", StringComparison.OrdinalIgnoreCase))
                    return new NotCondition(Compile(property.Value, where, errors));
                if (Comparisons.Contains(name))
                {
                    if (property.Value is not JArray { Count: 2 } operands)
                    {
                        errors.Add($"{where}: '{name}' must hold an array of exactly two values.");
                        return new ConstantCondition(false);
                    }
                    return ComparisonCondition.Create(name, operands[0], operands[1], where, errors);
                }
                errors.Add($"{where}: '{name}' is not a condition operator (expected and, or, not, {string.Join(", ", Comparisons)}).");
                return new ConstantCondition(false);
            }
            default:
                errors.Add($"{where}: the condition must be an expression string or an object with one operator.");
                return new ConstantCondition(false);
        }
    }

    /// <summary>Requires a boolean; Logic Apps rejects any other result type for a condition.</summary>
    internal static bool RequireBoolean(JToken value, string description)
    {
        if (value.Type == JTokenType.Boolean) return (bool)value;
        if (value.Type == JTokenType.String && bool.TryParse((string?)value, out var parsed)) return parsed;
        throw new WdlEvaluationException(
            $"The {description} must evaluate to a boolean value, but it evaluated to a value of type '{TypeName(value)}'.");
    }

    internal static string TypeName(JToken value) => value.Type switch
    {
        JTokenType.Integer => "Integer",
        JTokenType.Float => "Float",
        JTokenType.String => "String",
        JTokenType.Boolean => "Boolean",
        JTokenType.Object => "Object",
        JTokenType.Array => "Array",
        JTokenType.Null or JTokenType.Undefined => "Null",
        _ => value.Type.ToString(),
    };

    private sealed class ConstantCondition(bool value) : Condition
    {
        public override bool Evaluate(IExpressionScope scope) => value;
    }

    private sealed class ExpressionCondition(CompiledTemplate template) : Condition
    {
        public override bool Evaluate(IExpressionScope scope) => RequireBoolean(template.Evaluate(scope), "condition expression");
    }

    private sealed class AndCondition(Condition[] children) : Condition
    {
        public override bool Evaluate(IExpressionScope scope)
        {
            foreach (var child in children) if (!child.Evaluate(scope)) return false;
            return true;
        }
    }

    private sealed class OrCondition(Condition[] children) : Condition
    {
        public override bool Evaluate(IExpressionScope scope)
        {
            foreach (var child in children) if (child.Evaluate(scope)) return true;
            return false;
        }
    }

    private sealed class NotCondition(Condition child) : Condition
    {
        public override bool Evaluate(IExpressionScope scope) => !child.Evaluate(scope);
    }

    private sealed class ComparisonCondition : Condition
    {
        private readonly string function;
        private readonly JToken left;
        private readonly JToken right;
        private readonly WdlExpression? compiled;

        private ComparisonCondition(string function, JToken left, JToken right, WdlExpression? compiled)
        {
            this.function = function;
            this.left = left;
            this.right = right;
            this.compiled = compiled;
        }

        public static Condition Create(string function, JToken left, JToken right, string where, List<string> errors)
        {
            var leftText = StaticOperand(left);
            var rightText = StaticOperand(right);
            WdlExpression? compiled = null;
            if (leftText is not null && rightText is not null)
            {
                try
                {
                    compiled = WdlExpression.Parse($"{function}({leftText},{rightText})");
                }
                catch (WdlExpressionException ex)
                {
                    errors.Add($"{where}: the condition '{function}' is not valid: {ex.Message}");
                    return new ConstantCondition(false);
                }
            }
            return new ComparisonCondition(function, left, right, compiled);
        }

        public override bool Evaluate(IExpressionScope scope)
        {
            var expression = compiled;
            if (expression is null)
            {
                // An interpolated operand ("@{...} text"): evaluate it, then compare its value as a literal.
                var leftValue = WdlTemplate.Evaluate(left, scope);
                var rightValue = WdlTemplate.Evaluate(right, scope);
                expression = WdlExpression.Parse($"{function}({Literal(leftValue)},{Literal(rightValue)})");
            }
            return RequireBoolean(expression.Evaluate(scope), $"condition '{function}'");
        }

        /// <summary>The operand as expression text, or null when it is interpolated (known only at run time).</summary>
        private static string? StaticOperand(JToken operand)
        {
            if (operand.Type != JTokenType.String) return Literal(operand);
            var text = (string)operand!;
            if (!WdlTemplate.IsTemplate(text)) return Literal(operand);
            var isWholeExpression = text.Length > 1 && text[0] == '@' && text[1] != '@' && text[1] != '{';
            return isWholeExpression ? text[1..] : null;
        }

        private static string Literal(JToken value) => value.Type switch
        {
            JTokenType.String => "'" + ((string)value!).Replace("'", "''", StringComparison.Ordinal) + "'",
            JTokenType.Integer => ((long)value).ToString(CultureInfo.InvariantCulture),
            JTokenType.Float => ((double)value).ToString("R", CultureInfo.InvariantCulture),
            JTokenType.Boolean => (bool)value ? "true" : "false",
            JTokenType.Null or JTokenType.Undefined => "null",
            _ => "json('" + value.ToString(Formatting.None).Replace("'", "''", StringComparison.Ordinal) + "')",
        };
    }
}
