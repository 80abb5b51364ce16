// TEMPORARY: stands in for the wdl helper's expression language until it is merged; deleted at that merge.
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Expressions;

public class WdlExpressionException : Exception
{
    public WdlExpressionException(string message) : base(message) { }
    public WdlExpressionException(string message, Exception? inner) : base(message, inner) { }
}

public sealed class WdlParseException(string message) : WdlExpressionException(message);

public sealed class WdlEvaluationException(string message) : WdlExpressionException(message);

public sealed class WdlExpression
{
    private WdlExpression(string text) => Text = text;
    public string Text { get; }
    public static WdlExpression Parse(string text) => new(text);
    public JToken Evaluate(IExpressionScope scope) => throw new WdlEvaluationException("Expressions are not available yet.");
}

public static class WdlTemplate
{
    public static bool IsTemplate(string text) => text.StartsWith('@') || text.Contains("@{", StringComparison.Ordinal);

    public static JToken Evaluate(JToken value, IExpressionScope scope)
    {
        if (value.Type == JTokenType.String)
        {
            var text = (string)value!;
            if (text.StartsWith("@@", StringComparison.Ordinal)) return text[1..];
            if (IsTemplate(text)) throw new WdlEvaluationException("Expressions are not available yet.");
            return value;
        }
        if (value is JObject o) { var r = new JObject(); foreach (var p in o.Properties()) r[p.Name] = Evaluate(p.Value, scope); return r; }
        if (value is JArray a) { var r = new JArray(); foreach (var i in a) r.Add(Evaluate(i, scope)); return r; }
        return value;
    }
}
