namespace TestSupport;

/// <summary>
/// The repository: the nearest folder holding <c>OrderIntegration.sln</c>. The one finder of the project, for the
/// tests (<see cref="FullPath"/>: the repository their binaries were built in) and the tools (<see cref="Find"/>: the
/// repository a developer runs them in).
/// </summary>
public static class RepositoryRoot
{
    public const string MarkerFile = "OrderIntegration.sln";

    private static readonly Lazy<string> OfTheseBinaries = new(() => Search(AppContext.BaseDirectory, Directory.GetCurrentDirectory()));

    /// <summary>The repository above this program's binaries (or, failing that, above the current directory).</summary>
    public static string FullPath => OfTheseBinaries.Value;

    /// <summary>A path below <see cref="FullPath"/>, written with '/' separators.</summary>
    public static string PathOf(string relativePath) => Path.Combine(FullPath, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The repository above <paramref name="start"/>, else above the current directory, else above this program.</summary>
    /// <exception cref="RepositoryNotFoundException">No folder on those paths holds <see cref="MarkerFile"/>.</exception>
    public static string Find(string? start = null) => Search(start, Environment.CurrentDirectory, AppContext.BaseDirectory);

    private static string Search(params string?[] starts)
    {
        foreach (var start in starts)
        {
            for (var directory = start is null ? null : new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, MarkerFile))) return directory.FullName;
            }
        }
        throw new RepositoryNotFoundException($"Cannot find the repository: no folder holding '{MarkerFile}' above '{starts.FirstOrDefault(s => s is not null)}'.");
    }
}

/// <summary>No folder on the searched paths holds the repository's marker file (a tool run outside a clone).</summary>
public sealed class RepositoryNotFoundException(string message) : DirectoryNotFoundException(message);
