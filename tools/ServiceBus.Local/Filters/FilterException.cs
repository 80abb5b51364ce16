namespace ServiceBus.Local.Filters;

/// <summary>
/// A SQL filter or action that cannot be parsed (with line and column) or cannot be evaluated against a message.
/// Named after the service's <c>FilterException</c>, which is also the dead-letter reason the broker records when
/// a subscription's rule fails on a message (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues).
/// </summary>
public sealed class FilterException : Exception
{
    public FilterException(string message) : base(message) { }

    public FilterException(string message, int position, string text)
        : base($"{message} at line {LineOf(text, position)}, column {ColumnOf(text, position)}.")
    {
        Position = position;
    }

    /// <summary>Zero-based offset of the offending token in the expression, for parse errors.</summary>
    public int? Position { get; }

    private static int LineOf(string text, int position) => text[..Math.Min(position, text.Length)].Count(c => c == '\n') + 1;

    private static int ColumnOf(string text, int position)
    {
        var upTo = text[..Math.Min(position, text.Length)];
        return upTo.Length - (upTo.LastIndexOf('\n') + 1) + 1;
    }
}
