namespace ServiceBus.Local.Filters;

/// <summary>
/// <c>SET prop = expr; REMOVE prop</c> applied to the copy of a message a rule selects, before it enters the
/// subscription (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-rule-action). Statements run in order and see earlier statements' changes.
/// </summary>
public sealed class SqlRuleAction
{
    private readonly IReadOnlyList<ActionStatement> statements;

    public SqlRuleAction(string sqlExpression, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        if (sqlExpression.Length > 1024) throw new FilterException("An action expression can be at most 1024 characters.");
        SqlExpression = sqlExpression;
        Parameters = parameters ?? new Dictionary<string, object?>();
        statements = SqlParser.ParseAction(sqlExpression);
    }

    public string SqlExpression { get; }

    public IReadOnlyDictionary<string, object?> Parameters { get; }

    internal void Apply(IFilterMessage message)
    {
        var context = new EvaluationContext(message, Parameters);
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case SetStatement set:
                    var value = set.Value.Evaluate(context);
                    if (set.Target.Scope == PropertyScope.System) message.SetSystemProperty(set.Target.Name, value);
                    else message.SetUserProperty(set.Target.Name, value);
                    break;
                case RemoveStatement remove:
                    if (remove.Target.Scope == PropertyScope.System) message.SetSystemProperty(remove.Target.Name, null);
                    else message.RemoveUserProperty(remove.Target.Name);
                    break;
            }
        }
    }

    public override string ToString() => SqlExpression;
}
