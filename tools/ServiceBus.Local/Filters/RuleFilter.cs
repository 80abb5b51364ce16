namespace ServiceBus.Local.Filters;

/// <summary>A subscription rule's filter: SQL, true/false, or correlation (https://learn.microsoft.com/azure/service-bus-messaging/topic-filters).</summary>
public abstract class RuleFilter
{
    /// <summary>True selects the message; unknown (a SQL filter that comes out unknown) does not.
    /// Throws <see cref="FilterException"/> when the filter cannot be evaluated on this message.</summary>
    internal abstract bool Matches(IFilterMessage message);
}

public sealed class SqlRuleFilter : RuleFilter
{
    private readonly SqlNode root;

    /// <summary>Parses now, so a bad expression fails at load with its line and column.</summary>
    public SqlRuleFilter(string sqlExpression, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        if (sqlExpression.Length > 1024) throw new FilterException("A filter expression can be at most 1024 characters.");
        SqlExpression = sqlExpression;
        Parameters = parameters ?? new Dictionary<string, object?>();
        root = SqlParser.ParseFilter(sqlExpression);
    }

    public string SqlExpression { get; }

    public IReadOnlyDictionary<string, object?> Parameters { get; }

    internal override bool Matches(IFilterMessage message) =>
        Truth.Of(root.Evaluate(new EvaluationContext(message, Parameters))) == true;

    public override string ToString() => SqlExpression;
}

/// <summary>Selects every message (<c>1=1</c>); the filter of the <c>$Default</c> rule.</summary>
public sealed class TrueRuleFilter : RuleFilter
{
    public static readonly TrueRuleFilter Instance = new();
    internal override bool Matches(IFilterMessage message) => true;
    public override string ToString() => "1=1";
}

/// <summary>Selects no message (<c>1=0</c>).</summary>
public sealed class FalseRuleFilter : RuleFilter
{
    public static readonly FalseRuleFilter Instance = new();
    internal override bool Matches(IFilterMessage message) => false;
    public override string ToString() => "1=0";
}

/// <summary>
/// Exact, case-sensitive match on every field that is set, system and user alike (https://learn.microsoft.com/azure/service-bus-messaging/topic-filters#filters).
/// </summary>
public sealed class CorrelationRuleFilter : RuleFilter
{
    public string? CorrelationId { get; set; }
    public string? MessageId { get; set; }
    public string? To { get; set; }
    public string? ReplyTo { get; set; }
    /// <summary>The SDK's Subject; <c>Label</c> in Config.json and on the wire.</summary>
    public string? Subject { get; set; }
    public string? SessionId { get; set; }
    public string? ReplyToSessionId { get; set; }
    public string? ContentType { get; set; }
    public IDictionary<string, object?> ApplicationProperties { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    internal bool IsEmpty => CorrelationId is null && MessageId is null && To is null && ReplyTo is null && Subject is null
        && SessionId is null && ReplyToSessionId is null && ContentType is null && ApplicationProperties.Count == 0;

    internal override bool Matches(IFilterMessage message)
    {
        bool System(string name, string? expected) =>
            expected is null || (message.TryGetSystemProperty(name, out var actual) && actual is string s && string.Equals(s, expected, StringComparison.Ordinal));

        if (!System("CorrelationId", CorrelationId) || !System("MessageId", MessageId) || !System("To", To)
            || !System("ReplyTo", ReplyTo) || !System("Label", Subject) || !System("SessionId", SessionId)
            || !System("ReplyToSessionId", ReplyToSessionId) || !System("ContentType", ContentType))
        {
            return false;
        }
        foreach (var (key, expected) in ApplicationProperties)
        {
            if (!message.TryGetUserProperty(key, out var actual) || !SqlValues.SafeEquals(actual, expected)) return false;
        }
        return true;
    }
}
