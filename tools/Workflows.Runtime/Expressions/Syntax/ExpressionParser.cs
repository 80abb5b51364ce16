using System.Globalization;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Functions;

namespace Workflows.Runtime.Expressions.Syntax;

/// <summary>
/// Recursive-descent parser for one expression (the text after '@'):
/// literals (single-quoted strings with '' escape, Int64 integers, floats, true/false/null), function calls
/// (names case-insensitive) and dereferences <c>.name</c>, <c>['name']</c>, <c>[n]</c>, each optionally
/// null-safe with <c>?</c>. No operators, no bare identifiers, no array/object literals.
/// </summary>
internal sealed class ExpressionParser
{
    public const int MaximumLength = 8192;

    private readonly string text;
    private readonly List<(string Function, JToken? FirstArgument)> calls = [];
    private int position;

    private ExpressionParser(string text) => this.text = text;

    public static (ExpressionNode Root, IReadOnlyList<(string Function, JToken? FirstArgument)> Calls) Parse(string text)
    {
        if (text.Length > MaximumLength)
            throw new WdlParseException(
                $"The template language expression '{Abbreviate(text)}' is not valid: the expression is {text.Length} characters long, which exceeds the limit of {MaximumLength} characters.");
        var parser = new ExpressionParser(text);
        parser.SkipWhitespace();
        if (parser.AtEnd) throw parser.Invalid("the expression is empty");
        var root = parser.ParseExpression();
        parser.SkipWhitespace();
        if (!parser.AtEnd) throw parser.Unexpected();
        return (root, parser.calls);
    }

    private bool AtEnd => position >= text.Length;

    private char Current => text[position];

    private ExpressionNode ParseExpression()
    {
        SkipWhitespace();
        if (AtEnd) throw Invalid("the expression ended unexpectedly");
        var c = Current;
        if (c == '\'') return new LiteralNode(new JValue(ReadString()));
        if (c == '"') throw Invalid($"the string character '\"' at position '{position}' is not expected; string literals must be enclosed in single quotes");
        if (char.IsAsciiDigit(c) || c == '-' || c == '+' || (c == '.' && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1])))
            return new LiteralNode(ReadNumber());
        if (IsIdentifierChar(c)) return ParseCallOrKeyword();
        throw Unexpected();
    }

    private ExpressionNode ParseCallOrKeyword()
    {
        var start = position;
        while (!AtEnd && IsIdentifierChar(Current)) position++;
        var name = text[start..position];
        SkipWhitespace();
        if (AtEnd || Current != '(')
        {
            if (name.Equals("true", StringComparison.OrdinalIgnoreCase)) return new LiteralNode(new JValue(true));
            if (name.Equals("false", StringComparison.OrdinalIgnoreCase)) return new LiteralNode(new JValue(false));
            if (name.Equals("null", StringComparison.OrdinalIgnoreCase)) return new LiteralNode(JValue.CreateNull());
            throw Invalid($"the string '{name}' at position '{start}' is not a function call or a literal; function calls need parentheses and strings need single quotes");
        }

        if (!FunctionTable.TryGet(name, out var function))
            throw Invalid($"the template function '{name}' is not defined or not valid");

        position++; // '('
        var arguments = new List<ExpressionNode>();
        SkipWhitespace();
        if (!AtEnd && Current == ')')
        {
            position++;
        }
        else
        {
            while (true)
            {
                arguments.Add(ParseExpression());
                SkipWhitespace();
                if (AtEnd) throw Invalid($"the function call '{name}' at position '{start}' is missing its closing parenthesis");
                if (Current == ',') { position++; continue; }
                if (Current == ')') { position++; break; }
                throw Unexpected();
            }
        }

        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
            throw Invalid($"the template language function '{function.Name}' {ExpectedCount(function)}. The function was invoked with {Errors.CountText(arguments.Count)}");

        calls.Add((function.Name, arguments.Count > 0 && arguments[0] is LiteralNode literal ? literal.Value.DeepClone() : null));
        ExpressionNode node = new CallNode(function, name, [.. arguments]);
        return ParseDereferences(node);
    }

    private ExpressionNode ParseDereferences(ExpressionNode node)
    {
        while (true)
        {
            SkipWhitespace();
            if (AtEnd) return node;
            var nullSafe = false;
            var questionAt = position;
            if (Current == '?')
            {
                nullSafe = true;
                position++;
                SkipWhitespace();
                if (AtEnd || (Current != '.' && Current != '['))
                    throw Invalid($"the '?' at position '{questionAt}' must be followed by a property or index selection");
            }
            if (AtEnd) return node;
            if (Current == '.')
            {
                position++;
                SkipWhitespace();
                var start = position;
                while (!AtEnd && IsIdentifierChar(Current)) position++;
                if (position == start) throw Invalid($"a property name is expected after '.' at position '{start - 1}'");
                node = new AccessNode(node, text[start..position], null, nullSafe);
            }
            else if (Current == '[')
            {
                position++;
                var index = ParseExpression();
                SkipWhitespace();
                if (AtEnd || Current != ']') throw Invalid($"the selection at position '{questionAt}' is missing its closing ']'");
                position++;
                node = index is LiteralNode { Value.Type: JTokenType.String } literal
                    ? new AccessNode(node, (string)((JValue)literal.Value).Value!, null, nullSafe)
                    : new AccessNode(node, null, index, nullSafe);
            }
            else
            {
                return node;
            }
        }
    }

    private string ReadString()
    {
        var start = position;
        position++; // opening quote
        var builder = new System.Text.StringBuilder();
        while (true)
        {
            if (AtEnd) throw Invalid($"the string literal starting at position '{start}' is not terminated");
            var c = Current;
            if (c == '\'')
            {
                if (position + 1 < text.Length && text[position + 1] == '\'')
                {
                    builder.Append('\'');
                    position += 2;
                    continue;
                }
                position++;
                return builder.ToString();
            }
            builder.Append(c);
            position++;
        }
    }

    private JToken ReadNumber()
    {
        var start = position;
        if (Current is '-' or '+') position++;
        var digitsStart = position;
        while (!AtEnd && char.IsAsciiDigit(Current)) position++;
        var isFloat = false;
        if (!AtEnd && Current == '.')
        {
            isFloat = true;
            position++;
            var fractionStart = position;
            while (!AtEnd && char.IsAsciiDigit(Current)) position++;
            if (position == fractionStart && position - 1 == digitsStart) throw Invalid($"the number at position '{start}' is not valid");
        }
        if (position == digitsStart) throw Invalid($"the character '{text[start]}' at position '{start}' is not expected");
        if (!AtEnd && Current is 'e' or 'E')
        {
            isFloat = true;
            position++;
            if (!AtEnd && Current is '+' or '-') position++;
            var exponentStart = position;
            while (!AtEnd && char.IsAsciiDigit(Current)) position++;
            if (position == exponentStart) throw Invalid($"the number at position '{start}' has an incomplete exponent");
        }
        if (!AtEnd && IsIdentifierChar(Current) && !char.IsAsciiDigit(Current)) throw Unexpected();
        var literal = text[start..position];
        if (!isFloat && long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return new JValue(integer);
        return new JValue(double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current)) position++;
    }

    private static bool IsIdentifierChar(char c) =>
        !char.IsWhiteSpace(c) && c is not ('.' or ',' or '(' or ')' or '{' or '}' or '@' or '[' or ']' or '?' or '\'' or '"');

    private static string ExpectedCount(FunctionDefinition function)
    {
        if (function.MinArguments == function.MaxArguments)
            return function.MinArguments == 0 ? "does not take parameters" : $"expects {Errors.CountText(function.MinArguments)}";
        if (function.MaxArguments == int.MaxValue) return $"expects at least {Errors.CountText(function.MinArguments)}";
        return $"expects between {Errors.CountText(function.MinArguments).Replace(" parameters", "").Replace(" parameter", "")} and {Errors.CountText(function.MaxArguments)}";
    }

    private WdlParseException Unexpected()
    {
        if (AtEnd) return Invalid("the expression ended unexpectedly");
        return Invalid($"the string character '{Current}' at position '{position}' is not expected");
    }

    private WdlParseException Invalid(string problem) =>
        new($"The template language expression '{Abbreviate(text)}' is not valid: {problem}.");

    private static string Abbreviate(string text) => text.Length <= 256 ? text : text[..256] + "...";
}
