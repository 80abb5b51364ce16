using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Functions;
using Workflows.Runtime.Expressions.Syntax;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// Calls one template language function on values that are already evaluated — for definition shapes that
/// name functions without writing an expression, such as the If action's object conditions
/// (<c>{"equals": ["@body('A')?['x']", 0]}</c>, <c>contains</c>, <c>greater</c>, <c>startsWith</c>, ...).
/// </summary>
public static class WdlFunctions
{
    public static bool Exists(string name) => FunctionTable.TryGet(name, out _);

    /// <summary>Throws <see cref="WdlEvaluationException"/> for an unknown function, a wrong number of
    /// arguments or a failure of the function itself, with the same messages as in expressions.</summary>
    public static JToken Invoke(string name, IReadOnlyList<JToken> arguments, IExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(scope);
        if (!FunctionTable.TryGet(name, out var function))
            throw new WdlEvaluationException($"The template function '{name}' is not defined or not valid.");
        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
            throw new WdlEvaluationException(
                $"The template language function '{function.Name}' cannot be called with {Errors.CountText(arguments.Count)}. {Errors.Help(function.Name)}");

        var values = new JToken[arguments.Count];
        for (var i = 0; i < values.Length; i++) values[i] = arguments[i] ?? WdlValue.Null();
        var context = new EvaluationContext(scope, $"{function.Name}(...)");
        try
        {
            var result = function.LazyBody is { } lazy
                ? lazy(new LazyCall(function.Name, values.Select(v => (ExpressionNode)new ValueNode(v)).ToArray(), context))
                : function.Body!(new FunctionCall(function.Name, values, context));
            return WdlValue.Externalize(result);
        }
        catch (WdlExpressionException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new WdlEvaluationException($"The template language function '{function.Name}' failed: {ex.Message}", ex);
        }
    }

    private sealed class ValueNode(JToken value) : ExpressionNode
    {
        public override JToken Evaluate(EvaluationContext context) => value;
    }
}
