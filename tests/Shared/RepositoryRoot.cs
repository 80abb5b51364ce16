namespace OrderEvents.Testing;

/// <summary>
/// The repository the tests run in: the nearest folder holding <c>OrderIntegration.sln</c> above the test binaries
/// (or, failing that, above the current directory). The tools have their own finder (LocalLogicApp's
/// <c>ProjectRoot</c>); test projects that do not reference the tools use this one.
/// </summary>
internal static class RepositoryRoot
{
    public const string MarkerFile = "OrderIntegration.sln";

    private static readonly Lazy<string> Located = new(Locate);

    public static string FullPath => Located.Value;

    /// <summary>A path below the repository root, written with '/' separators.</summary>
    public static string PathOf(string relativePath) => Path.Combine(FullPath, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static string Locate()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, MarkerFile))) return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No folder holding {MarkerFile} above {AppContext.BaseDirectory}.");
    }
}
