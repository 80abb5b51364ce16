namespace Workflows.Runtime.Expressions;

/// <summary>
/// An expression that cannot be parsed or evaluated. Messages follow the shape of Microsoft's template
/// language errors: they name the expression or the function and say what is wrong.
/// </summary>
public class WdlExpressionException : Exception
{
    public WdlExpressionException(string message) : base(message) { }

    public WdlExpressionException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The text is not a valid expression (syntax, unknown function, wrong number of arguments, too long).</summary>
public sealed class WdlParseException : WdlExpressionException
{
    public WdlParseException(string message) : base(message) { }
}

/// <summary>The expression is valid but failed while it was evaluated (bad argument, missing property, ...).</summary>
public sealed class WdlEvaluationException : WdlExpressionException
{
    public WdlEvaluationException(string message) : base(message) { }

    public WdlEvaluationException(string message, Exception? inner) : base(message, inner) { }
}
