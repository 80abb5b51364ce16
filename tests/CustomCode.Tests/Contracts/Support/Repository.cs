namespace OrderEvents.CustomCode.Tests.Contracts.Support;

/// <summary>Paths in the repository, found from wherever the test assembly runs.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    /// <summary>The folder holding <c>OrderIntegration.sln</c>, walking up from the test assembly.</summary>
    public static string Root => RootDirectory.Value;

    public static string SchemasDirectory => Path.Combine(Root, "Artifacts", "Schemas");
    public static string SamplesDirectory => Path.Combine(Root, "Artifacts", "Samples");
    public static string NodeToolsDirectory => Path.Combine(Root, "tools", "node");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OrderIntegration.sln"))) return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No folder containing OrderIntegration.sln above {AppContext.BaseDirectory}.");
    }
}
