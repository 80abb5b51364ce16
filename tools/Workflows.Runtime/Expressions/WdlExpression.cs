using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Syntax;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Expressions;

/// <summary>
/// One parsed Workflow Definition Language expression (the text after the leading '@'). Parsed once and
/// cached by text; evaluation is pure apart from what <see cref="IExpressionScope"/> returns.
/// </summary>
public sealed class WdlExpression
{
    private const int CacheLimit = 20_000;
    private static readonly ConcurrentDictionary<string, WdlExpression> Cache = new(StringComparer.Ordinal);

    private readonly ExpressionNode root;
    private readonly (string Function, JToken? FirstArgument)[] calls;

    private WdlExpression(string text, ExpressionNode root, IReadOnlyList<(string Function, JToken? FirstArgument)> calls)
    {
        Text = text;
        this.root = root;
        this.calls = [.. calls];
        FunctionNames = this.calls.Select(c => c.Function).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>The expression text as written (without '@').</summary>
    public string Text { get; }

    /// <summary>Every function the expression calls (canonical spelling, each once), e.g. for static checks.</summary>
    public IReadOnlyList<string> FunctionNames { get; }

    /// <summary>Every call in source order with its first argument when that is a literal, e.g.
    /// <c>("parameters", "ordersTopicName")</c>, <c>("body", "Parse_message")</c>.</summary>
    public IEnumerable<(string Function, JToken? FirstArgument)> Calls => calls;

    /// <summary>Parses (or returns the cached parse of) an expression. Throws <see cref="WdlParseException"/>.</summary>
    public static WdlExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Cache.TryGetValue(text, out var cached)) return cached;
        var (root, calls) = ExpressionParser.Parse(text);
        var expression = new WdlExpression(text, root, calls);
        if (Cache.Count < CacheLimit) Cache.TryAdd(text, expression);
        return expression;
    }

    /// <summary>Evaluates the expression. Throws <see cref="WdlEvaluationException"/> naming the function and problem.</summary>
    public JToken Evaluate(IExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return WdlValue.Externalize(EvaluateRaw(scope));
    }

    /// <summary>The result before it leaves the language (decimals stay decimal, for interpolation).</summary>
    internal JToken EvaluateRaw(IExpressionScope scope)
    {
        try
        {
            return root.Evaluate(new EvaluationContext(scope, Text));
        }
        catch (WdlExpressionException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new WdlEvaluationException($"The template language expression '{Text}' cannot be evaluated: {ex.Message}", ex);
        }
    }

    public override string ToString() => Text;
}
