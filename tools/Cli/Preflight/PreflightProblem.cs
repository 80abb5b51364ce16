namespace Cli.Preflight;

/// <summary>One thing Azure needs that the package or the repository lacks: where it is, what is wrong, and the fix.</summary>
/// <param name="File">The app-root path (or repository path) the problem is in, e.g. <c>host.json</c>.</param>
public sealed record PreflightProblem(string File, string Problem, string Fix)
{
    /// <summary>One line: <c>file: problem Fix: fix</c>.</summary>
    public override string ToString() => $"{File}: {Problem} Fix: {Fix}";
}
