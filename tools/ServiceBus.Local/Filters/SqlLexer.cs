using System.Globalization;
using System.Text;

namespace ServiceBus.Local.Filters;

internal enum TokenKind
{
    End, Identifier, QuotedIdentifier, String, Integer, Double, Parameter, Keyword,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    Plus, Minus, Star, Slash, Percent, LeftParen, RightParen, Comma, Dot, Semicolon,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position, object? Value = null)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Keyword && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind == TokenKind.End ? "end of expression" : $"'{Text}'";
}

/// <summary>Splits SQL filter and action text into tokens (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter: identifiers, [delimited] and
/// "quoted" identifiers, 'strings' with '' escapes, Int64 / Double constants, @parameters).</summary>
internal static class SqlLexer
{
    // Reserved words cannot be regular identifiers; delimit them ([Set]) to use them as property names.
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "ESCAPE", "EXISTS", "TRUE", "FALSE", "SET", "REMOVE",
    };

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) { tokens.Add(new Token(TokenKind.End, "", i)); return tokens; }
            var start = i;
            var c = text[i];

            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                var word = text[start..i];
                tokens.Add(new Token(Keywords.Contains(word) ? TokenKind.Keyword : TokenKind.Identifier, word, start));
                continue;
            }
            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }
            switch (c)
            {
                case '\'':
                    tokens.Add(new Token(TokenKind.String, text[start..(i = ReadQuoted(text, start, '\'', '\'', out var s))], start, s));
                    continue;
                case '[':
                    tokens.Add(new Token(TokenKind.QuotedIdentifier, text[start..(i = ReadQuoted(text, start, '[', ']', out var d))], start, d));
                    continue;
                case '"':
                    tokens.Add(new Token(TokenKind.QuotedIdentifier, text[start..(i = ReadQuoted(text, start, '"', '"', out var q))], start, q));
                    continue;
                case '@':
                    i++;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                    if (i == start + 1) throw new FilterException("A parameter name must follow '@'", start, text);
                    tokens.Add(new Token(TokenKind.Parameter, text[start..i], start));
                    continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            var (kind, length) = two switch
            {
                "<>" => (TokenKind.NotEqual, 2),
                "!=" => (TokenKind.NotEqual, 2),
                "<=" => (TokenKind.LessOrEqual, 2),
                ">=" => (TokenKind.GreaterOrEqual, 2),
                _ => c switch
                {
                    '=' => (TokenKind.Equal, 1),
                    '<' => (TokenKind.Less, 1),
                    '>' => (TokenKind.Greater, 1),
                    '+' => (TokenKind.Plus, 1),
                    '-' => (TokenKind.Minus, 1),
                    '*' => (TokenKind.Star, 1),
                    '/' => (TokenKind.Slash, 1),
                    '%' => (TokenKind.Percent, 1),
                    '(' => (TokenKind.LeftParen, 1),
                    ')' => (TokenKind.RightParen, 1),
                    ',' => (TokenKind.Comma, 1),
                    '.' => (TokenKind.Dot, 1),
                    ';' => (TokenKind.Semicolon, 1),
                    _ => throw new FilterException($"Unexpected character '{c}'", start, text),
                },
            };
            i += length;
            tokens.Add(new Token(kind, text[start..i], start));
        }
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsDigit(text[i])) i++;
        var isDouble = false;
        if (i < text.Length && text[i] == '.')
        {
            isDouble = true;
            i++;
            while (i < text.Length && char.IsDigit(text[i])) i++;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            var save = i;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            if (i < text.Length && char.IsDigit(text[i]))
            {
                isDouble = true;
                while (i < text.Length && char.IsDigit(text[i])) i++;
            }
            else
            {
                i = save;
            }
        }
        var literal = text[start..i];
        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
            throw new FilterException($"Invalid number '{literal}{text[i]}'", start, text);
        if (isDouble)
            return new Token(TokenKind.Double, literal, start, double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (!long.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FilterException($"Integer constant '{literal}' is outside the Int64 range", start, text);
        return new Token(TokenKind.Integer, literal, start, value);
    }

    /// <summary>Reads a quoted run where a doubled closing character stands for itself ('' and ]] and "").</summary>
    private static int ReadQuoted(string text, int start, char open, char close, out string value)
    {
        var sb = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == close)
            {
                if (i + 1 < text.Length && text[i + 1] == close) { sb.Append(close); i += 2; continue; }
                value = sb.ToString();
                return i + 1;
            }
            sb.Append(text[i++]);
        }
        var what = open switch { '\'' => "string constant", '[' => "delimited identifier", _ => "quoted identifier" };
        throw new FilterException($"Unterminated {what}", start, text);
    }
}
