namespace Workflows.Runtime.Definitions;

/// <summary>A Logic App that cannot be loaded: every problem found, each naming its file, workflow and action.</summary>
public sealed class LogicAppLoadException(IReadOnlyList<string> errors)
    : Exception("The Logic App cannot be loaded:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
