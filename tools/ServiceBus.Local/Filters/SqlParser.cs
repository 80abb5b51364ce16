namespace ServiceBus.Local.Filters;

internal abstract record ActionStatement(PropertyNode Target);
internal sealed record SetStatement(PropertyNode Target, SqlNode Value) : ActionStatement(Target);
internal sealed record RemoveStatement(PropertyNode Target) : ActionStatement(Target);

/// <summary>
/// Recursive-descent parser for the SQL filter grammar and the SET/REMOVE action grammar (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter, service-bus-messaging-sql-rule-action).
/// Precedence, lowest first: OR, AND, NOT, predicates (comparison, IS NULL, IN, LIKE, EXISTS), + -, * / %, unary.
/// </summary>
internal sealed class SqlParser
{
    private readonly string text;
    private readonly List<Token> tokens;
    private int index;

    private SqlParser(string text)
    {
        this.text = text;
        tokens = SqlLexer.Tokenize(text);
    }

    private Token Current => tokens[index];

    public static SqlNode ParseFilter(string text)
    {
        var parser = new SqlParser(text);
        if (parser.Current.Kind == TokenKind.End) throw new FilterException("The filter expression is empty", 0, text);
        var node = parser.ParseOr();
        parser.ExpectEnd();
        return node;
    }

    public static IReadOnlyList<ActionStatement> ParseAction(string text)
    {
        var parser = new SqlParser(text);
        var statements = new List<ActionStatement>();
        while (parser.Current.Kind != TokenKind.End)
        {
            if (parser.Current.Kind == TokenKind.Semicolon) { parser.index++; continue; }
            if (parser.Current.IsKeyword("SET"))
            {
                parser.index++;
                var target = parser.ParseProperty();
                parser.Expect(TokenKind.Equal, "'='");
                statements.Add(new SetStatement(target, parser.ParseOr()));
            }
            else if (parser.Current.IsKeyword("REMOVE"))
            {
                parser.index++;
                statements.Add(new RemoveStatement(parser.ParseProperty()));
            }
            else
            {
                throw parser.Unexpected("SET or REMOVE");
            }
            if (parser.Current.Kind is not (TokenKind.Semicolon or TokenKind.End)) throw parser.Unexpected("';' or the end of the action");
        }
        if (statements.Count == 0) throw new FilterException("The action expression is empty", 0, text);
        if (statements.Count > 32) throw new FilterException("An action can have at most 32 statements", 0, text);
        return statements;
    }

    private FilterException Unexpected(string expected) =>
        new($"Syntax error: expected {expected} but found {Current.Describe()}", Current.Position, text);

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind) throw Unexpected(what);
        return tokens[index++];
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword)) throw Unexpected(keyword);
        index++;
    }

    private void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End) throw new FilterException($"Syntax error: unexpected {Current.Describe()}", Current.Position, text);
    }

    private SqlNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            index++;
            left = new OrNode(left, ParseAnd());
        }
        return left;
    }

    private SqlNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            index++;
            left = new AndNode(left, ParseNot());
        }
        return left;
    }

    private SqlNode ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            index++;
            return new NotNode(ParseNot());
        }
        return ParsePredicate();
    }

    private SqlNode ParsePredicate()
    {
        if (Current.IsKeyword("EXISTS"))
        {
            index++;
            Expect(TokenKind.LeftParen, "'('");
            var property = ParseProperty();
            Expect(TokenKind.RightParen, "')'");
            return new ExistsNode(property);
        }

        var left = ParseAdditive();
        var op = Current.Kind switch
        {
            TokenKind.Equal => "=",
            TokenKind.NotEqual => "<>",
            TokenKind.Less => "<",
            TokenKind.LessOrEqual => "<=",
            TokenKind.Greater => ">",
            TokenKind.GreaterOrEqual => ">=",
            _ => null,
        };
        if (op is not null)
        {
            index++;
            return new ComparisonNode(op, left, ParseAdditive());
        }
        if (Current.IsKeyword("IS"))
        {
            index++;
            var negated = false;
            if (Current.IsKeyword("NOT")) { negated = true; index++; }
            ExpectKeyword("NULL");
            return new IsNullNode(left, negated);
        }
        var not = false;
        if (Current.IsKeyword("NOT") && (tokens[index + 1].IsKeyword("IN") || tokens[index + 1].IsKeyword("LIKE")))
        {
            not = true;
            index++;
        }
        if (Current.IsKeyword("IN"))
        {
            index++;
            Expect(TokenKind.LeftParen, "'('");
            var items = new List<SqlNode> { ParseAdditive() };
            while (Current.Kind == TokenKind.Comma)
            {
                index++;
                items.Add(ParseAdditive());
            }
            Expect(TokenKind.RightParen, "')' or ','");
            return new InNode(left, items, not);
        }
        if (Current.IsKeyword("LIKE"))
        {
            index++;
            var pattern = ParseAdditive();
            SqlNode? escape = null;
            if (Current.IsKeyword("ESCAPE"))
            {
                index++;
                escape = ParseAdditive();
            }
            return new LikeNode(left, pattern, escape, not);
        }
        return left;
    }

    private SqlNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = tokens[index++].Text;
            left = new ArithmeticNode(op, left, ParseMultiplicative());
        }
        return left;
    }

    private SqlNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = tokens[index++].Text;
            left = new ArithmeticNode(op, left, ParseUnary());
        }
        return left;
    }

    private SqlNode ParseUnary()
    {
        if (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = tokens[index++].Text;
            return new UnaryNode(op, ParseUnary());
        }
        return ParsePrimary();
    }

    private SqlNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.LeftParen:
                index++;
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.String:
            case TokenKind.Integer:
            case TokenKind.Double:
                index++;
                return new ConstantNode(token.Value);
            case TokenKind.Parameter:
                index++;
                return new ParameterNode(token.Text);
            case TokenKind.Keyword when token.IsKeyword("TRUE"):
                index++;
                return new ConstantNode(true);
            case TokenKind.Keyword when token.IsKeyword("FALSE"):
                index++;
                return new ConstantNode(false);
            case TokenKind.Keyword when token.IsKeyword("NULL"):
                index++;
                return new ConstantNode(null);
            case TokenKind.Identifier when tokens[index + 1].Kind == TokenKind.LeftParen:
                return ParseFunction();
            case TokenKind.Identifier:
            case TokenKind.QuotedIdentifier:
                return ParseProperty();
            default:
                throw Unexpected("an expression");
        }
    }

    private SqlNode ParseFunction()
    {
        var name = tokens[index];
        index += 2; // name and '('
        if (name.Text.Equals("newid", StringComparison.OrdinalIgnoreCase))
        {
            Expect(TokenKind.RightParen, "')'");
            return new NewIdNode();
        }
        if (name.Text.Equals("property", StringComparison.OrdinalIgnoreCase) || name.Text.Equals("p", StringComparison.OrdinalIgnoreCase))
        {
            var argument = ParseOr();
            Expect(TokenKind.RightParen, "')'");
            return new PropertyFunctionNode(argument);
        }
        throw new FilterException($"Unknown function '{name.Text}' (known: newid(), property(name), p(name))", name.Position, text);
    }

    private PropertyNode ParseProperty()
    {
        var first = Current;
        if (first.Kind is not (TokenKind.Identifier or TokenKind.QuotedIdentifier)) throw Unexpected("a property name");
        index++;
        var firstName = first.Kind == TokenKind.QuotedIdentifier ? (string)first.Value! : first.Text;
        if (Current.Kind != TokenKind.Dot) return new PropertyNode(PropertyScope.User, firstName);

        var scope = firstName.ToLowerInvariant() switch
        {
            "sys" => PropertyScope.System,
            "user" => PropertyScope.User,
            _ => throw new FilterException($"Unknown property scope '{firstName}' (use sys or user)", first.Position, text),
        };
        index++;
        var name = Current;
        if (name.Kind is not (TokenKind.Identifier or TokenKind.QuotedIdentifier or TokenKind.Keyword)) throw Unexpected("a property name after the scope");
        index++;
        return new PropertyNode(scope, name.Kind == TokenKind.QuotedIdentifier ? (string)name.Value! : name.Text);
    }
}
