using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Functions;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions.Syntax;

/// <summary>What one evaluation carries: the scope and the expression text (errors quote it).</summary>
internal sealed class EvaluationContext(IExpressionScope scope, string expressionText)
{
    public IExpressionScope Scope { get; } = scope;

    public string ExpressionText { get; } = expressionText;

    private Dictionary<JToken, string>? texts;

    /// <summary>The text of a value (<see cref="WdlValue.ToText"/>); an object or array is serialized once per evaluation,
    /// however often the expression asks (e.g. <c>string(triggerBody())</c> repeated in one condition). Values do not
    /// change while an expression is evaluated: functions that modify a value work on a copy.</summary>
    public string TextOf(JToken value)
    {
        if (value is not JContainer) return WdlValue.ToText(value);
        texts ??= new Dictionary<JToken, string>(ReferenceEqualityComparer.Instance);
        if (!texts.TryGetValue(value, out var text)) texts[value] = text = WdlValue.ToText(value);
        return text;
    }
}

internal abstract class ExpressionNode
{
    public abstract JToken Evaluate(EvaluationContext context);
}

internal sealed class LiteralNode : ExpressionNode
{
    public LiteralNode(JToken value)
    {
        Value = value;
        // The literal gets a parent of its own, so it is a borrowed value like any other the scope hands out: a container
        // that takes it takes a copy (Newtonsoft's one-parent rule), and nothing adopts the parse tree's token. Every
        // evaluation can then return the same token instead of a copy (values are never changed in place).
        _ = new JArray(value);
    }

    public JToken Value { get; }

    public override JToken Evaluate(EvaluationContext context) => Value;
}

internal sealed class CallNode(FunctionDefinition function, string writtenName, ExpressionNode[] arguments) : ExpressionNode
{
    public FunctionDefinition Function { get; } = function;

    public string WrittenName { get; } = writtenName;

    public ExpressionNode[] Arguments { get; } = arguments;

    public override JToken Evaluate(EvaluationContext context)
    {
        if (Function.LazyBody is { } lazy) return lazy(new LazyCall(Function.Name, Arguments, context));
        var values = Arguments.Length == 0 ? [] : new JToken[Arguments.Length];
        for (var i = 0; i < values.Length; i++) values[i] = Arguments[i].Evaluate(context);
        return Function.Body!(new FunctionCall(Function.Name, values, context));
    }
}

/// <summary><c>.name</c>, <c>['name']</c> or <c>[index]</c> after a call; <c>?</c> makes the step null-safe.</summary>
internal sealed class AccessNode(ExpressionNode target, string? propertyName, ExpressionNode? indexExpression, bool nullSafe) : ExpressionNode
{
    public override JToken Evaluate(EvaluationContext context)
    {
        var value = target.Evaluate(context);
        JToken selector = propertyName is not null ? new JValue(propertyName) : indexExpression!.Evaluate(context);
        return Select(value, selector, nullSafe, context);
    }

    internal static JToken Select(JToken value, JToken selector, bool nullSafe, EvaluationContext context)
    {
        if (WdlValue.IsNull(value))
        {
            if (nullSafe) return WdlValue.Null();
            throw new WdlEvaluationException(
                $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{WdlValue.ToText(selector)}' cannot be selected. Property selection is not supported on values of type 'Null'. Please see https://aka.ms/logicexpressions for usage details.");
        }

        switch (value)
        {
            case JObject obj when selector.Type == JTokenType.String:
            {
                var name = (string)((JValue)selector).Value!;
                var found = FindProperty(obj, name);
                if (found is not null) return found;
                if (nullSafe) return WdlValue.Null();
                var available = string.Join(", ", obj.Properties().Select(p => p.Name));
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{name}' doesn't exist, available properties are '{available}'. Please see https://aka.ms/logicexpressions for usage details.");
            }
            case JArray array when selector.Type == JTokenType.Integer:
            {
                var index = WdlValue.AsLong(selector);
                if (index >= 0 && index < array.Count) return array[(int)index];
                if (nullSafe) return WdlValue.Null();
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because array index '{index}' is outside bounds (0 - {array.Count - 1}) of array. Please see https://aka.ms/logicexpressions for usage details.");
            }
            case JArray when selector.Type == JTokenType.String:
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{WdlValue.ToText(selector)}' cannot be selected. Array elements can only be selected using an integer index. Please see https://aka.ms/logicexpressions for usage details.");
            case JObject when selector.Type == JTokenType.Integer:
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because the integer index '{WdlValue.ToText(selector)}' cannot be used to select a property of an object; use a property name. Please see https://aka.ms/logicexpressions for usage details.");
            default:
                throw new WdlEvaluationException(
                    $"The template language expression '{context.ExpressionText}' cannot be evaluated because property '{WdlValue.ToText(selector)}' cannot be selected. Property selection is not supported on values of type '{WdlValue.TypeName(value)}'. Please see https://aka.ms/logicexpressions for usage details.");
        }
    }

    /// <summary>Exact name first, then case-insensitive; then a slash path (<c>['body/value']</c>, as the
    /// Power Automate designer writes it) when the name itself is not a key.</summary>
    internal static JToken? FindProperty(JObject obj, string name)
    {
        if (obj.TryGetValue(name, out var exact)) return exact;
        var loose = obj.GetValue(name, StringComparison.OrdinalIgnoreCase);
        if (loose is not null) return loose;
        if (name.IndexOf('/') <= 0) return null;
        JToken? current = obj;
        foreach (var segment in name.Split('/'))
        {
            if (current is not JObject o) return null;
            current = o.GetValue(segment, StringComparison.OrdinalIgnoreCase);
            if (current is null) return null;
        }
        return current;
    }
}
