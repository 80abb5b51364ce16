namespace LocalLogicApp.Hosting;

/// <summary>Finds the project folder (the one with <c>OrderIntegration.sln</c>) from wherever a tool runs.</summary>
public static class ProjectRoot
{
    public const string MarkerFile = "OrderIntegration.sln";

    public static string Find(string? start = null)
    {
        foreach (var candidate in new[] { start, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = candidate is null ? null : new DirectoryInfo(Path.GetFullPath(candidate)); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, MarkerFile))) return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"Cannot find the project folder: no '{MarkerFile}' above '{start ?? Environment.CurrentDirectory}'.");
    }

    /// <summary>The folder of local state (broker database, object store, run file): <c>.local/</c>, git-ignored.</summary>
    public static string LocalStateFolder(string root) => Path.Combine(root, ".local");
}
