using Workflows.Runtime.Expressions;

namespace Cli.Commands;

/// <summary>
/// <c>wdl eval --cases FILE</c>: evaluates Workflow Definition Language cases and prints one JSON array of
/// results (<c>{"value": ...}</c> or <c>{"error": "..."}</c>) to stdout, nothing else. Exit 2 on a bad file.
/// </summary>
public static class WdlEvalCommand
{
    public static Task<int> RunAsync(CliArgs args) => Task.FromResult(Run(args, Console.Out, Console.Error));

    public static int Run(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var path = args.Get("cases") ?? args.Positionals.FirstOrDefault();
        if (string.IsNullOrEmpty(path))
        {
            stderr.WriteLine("wdl eval: --cases FILE is required (a JSON array of {kind, expression, context?}).");
            return WdlCaseRunner.BadInput;
        }
        return WdlCaseRunner.Run(path, stdout, stderr);
    }
}
