namespace LocalLogicApp.Hosting;

/// <summary>Where the local app keeps its state inside the repository (found by <c>TestSupport.RepositoryRoot</c>).</summary>
public static class ProjectRoot
{
    /// <summary>The folder of local state (broker database, object store, run file): <c>.local/</c>, git-ignored.</summary>
    public static string LocalStateFolder(string root) => Path.Combine(root, ".local");
}
