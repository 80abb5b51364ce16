using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Engine;

/// <summary>
/// A definition value (inputs, conditions, tracked properties) prepared once when the workflow loads:
/// literal parts are kept as they are, whole-value expressions (<c>"@expr"</c>) are parsed once, and only
/// interpolated strings are handed to <see cref="WdlTemplate"/> per evaluation. Evaluating never mutates the
/// definition: literal tokens are shared between runs and must be treated as read-only by the engine.
/// </summary>
internal abstract class CompiledTemplate
{
    public static readonly CompiledTemplate Null = new ConstantTemplate(JValue.CreateNull());

    public abstract JToken Evaluate(IExpressionScope scope);

    /// <summary>Like <see cref="Evaluate"/>, except that an object's member whose value another tree holds points at that
    /// value instead of copying it (<see cref="JsonTree.Borrowing"/>): for a value that is only read, such as a function's
    /// parameters (a message passed whole is not copied into them).</summary>
    public virtual JToken EvaluateBorrowing(IExpressionScope scope) => Evaluate(scope);

    /// <summary>True when the value holds no expression (evaluating returns the literal itself).</summary>
    public abstract bool IsConstant { get; }

    /// <summary>Compiles <paramref name="token"/>; parse errors are reported through <paramref name="errors"/>
    /// (prefixed with <paramref name="where"/>) and the bad part evaluates to a failure at run time.</summary>
    public static CompiledTemplate Compile(JToken? token, string where, List<string>? errors)
    {
        if (token is null || token.Type == JTokenType.Null) return Null;
        switch (token)
        {
            case JObject obj:
            {
                var names = new string[obj.Count];
                var values = new CompiledTemplate[obj.Count];
                var i = 0;
                var constant = true;
                foreach (var property in obj.Properties())
                {
                    names[i] = property.Name;
                    values[i] = Compile(property.Value, where, errors);
                    constant &= values[i].IsConstant;
                    i++;
                }
                return constant ? new ConstantTemplate(obj) : new ObjectTemplate(names, values);
            }
            case JArray array:
            {
                var items = array.Select(item => Compile(item, where, errors)).ToArray();
                return items.All(item => item.IsConstant) ? new ConstantTemplate(array) : new ArrayTemplate(items);
            }
            case JValue { Type: JTokenType.String } value:
                return CompileString((string)value!, where, errors);
            default:
                return new ConstantTemplate(token);
        }
    }

    private static CompiledTemplate CompileString(string text, string where, List<string>? errors)
    {
        if (!WdlTemplate.IsTemplate(text)) return new ConstantTemplate(new JValue(text));
        var isWholeExpression = text.Length > 1 && text[0] == '@' && text[1] != '@' && text[1] != '{';
        if (!isWholeExpression) return new InterpolatedTemplate(text);
        try
        {
            return new ExpressionTemplate(WdlExpression.Parse(text[1..]), text);
        }
        catch (WdlExpressionException ex)
        {
            errors?.Add($"{where}: the template language expression '{text}' is not valid: {ex.Message}");
            return new InvalidTemplate(ex.Message);
        }
    }

    private sealed class ConstantTemplate(JToken value) : CompiledTemplate
    {
        public override bool IsConstant => true;
        public override JToken Evaluate(IExpressionScope scope) => value;
    }

    private sealed class ExpressionTemplate(WdlExpression expression, string text) : CompiledTemplate
    {
        public override bool IsConstant => false;
        public override JToken Evaluate(IExpressionScope scope) => expression.Evaluate(scope) ?? JValue.CreateNull();
        public override string ToString() => text;
    }

    private sealed class InterpolatedTemplate(string text) : CompiledTemplate
    {
        // Parsed on first use (a bad one fails each evaluation, as before) and kept: looking the text up in WdlTemplate's
        // cache on every evaluation hashed the whole string each time.
        private WdlTemplate.CompiledTemplate? compiled;
        public override bool IsConstant => false;
        public override JToken Evaluate(IExpressionScope scope) => (compiled ??= WdlTemplate.Compile(text)).Evaluate(scope);
        public override string ToString() => text;
    }

    private sealed class InvalidTemplate(string message) : CompiledTemplate
    {
        public override bool IsConstant => false;
        public override JToken Evaluate(IExpressionScope scope) => throw new WdlParseException(message);
    }

    private sealed class ObjectTemplate(string[] names, CompiledTemplate[] values) : CompiledTemplate
    {
        public override bool IsConstant => false;
        public override JToken Evaluate(IExpressionScope scope)
        {
            var result = new JObject();
            for (var i = 0; i < names.Length; i++) result.Add(names[i], JsonTree.Adoptable(values[i].Evaluate(scope)));
            return result;
        }

        public override JToken EvaluateBorrowing(IExpressionScope scope)
        {
            var result = new JObject();
            for (var i = 0; i < names.Length; i++) result.Add(JsonTree.Borrowing(names[i], values[i].EvaluateBorrowing(scope)));
            return result;
        }
    }

    private sealed class ArrayTemplate(CompiledTemplate[] items) : CompiledTemplate
    {
        public override bool IsConstant => false;
        public override JToken Evaluate(IExpressionScope scope)
        {
            var result = new JArray();
            foreach (var item in items) result.Add(JsonTree.Adoptable(item.Evaluate(scope)));
            return result;
        }

        // An array's items are adopted or copied (see JsonTree.Borrowing); objects inside them may still borrow.
        public override JToken EvaluateBorrowing(IExpressionScope scope)
        {
            var result = new JArray();
            foreach (var item in items) result.Add(JsonTree.Adoptable(item.EvaluateBorrowing(scope)));
            return result;
        }
    }
}
