namespace Cli.Commands;

// Placeholder until its owner lands it: prints that it is not available and exits 2.
public static class PackageCommand
{
    public static Task<int> RunAsync(CliArgs args)
    {
        Console.Error.WriteLine("This verb is not available yet.");
        return Task.FromResult(2);
    }
}
