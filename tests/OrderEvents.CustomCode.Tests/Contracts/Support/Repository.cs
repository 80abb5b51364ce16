namespace OrderEvents.CustomCode.Tests.Contracts.Support;

/// <summary>Paths in the repository, found from wherever the test assembly runs.</summary>
internal static class Repository
{
    /// <summary>The folder holding <c>OrderIntegration.sln</c>.</summary>
    public static string Root => RepositoryRoot.FullPath;

    public static string SchemasDirectory => Path.Combine(Root, "Artifacts", "Schemas");
    public static string SamplesDirectory => Path.Combine(Root, "Artifacts", "Samples");
    public static string NodeToolsDirectory => Path.Combine(Root, "tools", "node");
}
