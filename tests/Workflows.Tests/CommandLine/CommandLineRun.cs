namespace Workflows.Tests.CommandLine;

/// <summary>A command line run as <c>orders</c> runs it, with what the parser and the verb's refusals print captured
/// (a verb's own progress still goes to the console).</summary>
internal static class CommandLineRun
{
    public static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await Cli.CommandLine.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
