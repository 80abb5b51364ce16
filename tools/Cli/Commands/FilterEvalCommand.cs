using ServiceBus.Local.Filters;

namespace Cli.Commands;

/// <summary>
/// <c>servicebus filter-eval --cases FILE</c>: evaluates Service Bus SQL filter cases with the local broker's filter
/// engine and prints one <c>{"match"}</c> or <c>{"error"}</c> per case, in order. Nothing else goes to stdout.
/// </summary>
public static class FilterEvalCommand
{
    public static async Task<int> RunAsync(CliArgs args)
    {
        var path = args.Require("cases");
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"servicebus filter-eval: cannot read '{path}': {ex.Message}");
            return 2;
        }
        try
        {
            Console.Out.WriteLine(FilterCaseEvaluator.EvaluateCases(json));
            return 0;
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"servicebus filter-eval: {path}: {ex.Message}");
            return 2;
        }
    }
}
