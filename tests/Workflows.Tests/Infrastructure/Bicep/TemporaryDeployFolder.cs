namespace Workflows.Tests.Infrastructure.Bicep;

/// <summary>A throw-away copy of the repository's deploy/ folder, so a test can change one file (a fixture holding one
/// defect, or a topology with more entities) and compile it with the real Bicep CLI.</summary>
public sealed class TemporaryDeployFolder : IDisposable
{
    private TemporaryDeployFolder(string root) => Root = root;

    public string Root { get; }

    public static TemporaryDeployFolder Create()
    {
        var root = Path.Combine(Path.GetTempPath(), "order-integration-bicep-fixture", Guid.NewGuid().ToString("N"));
        var source = RepositoryRoot.PathOf("deploy");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(s => s is "obj" or "bin")) continue;
            var target = Path.Combine(root, "deploy", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return new TemporaryDeployFolder(root);
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public void Write(string relativePath, string text) => File.WriteAllText(PathOf(relativePath), text);

    /// <summary>Replaces exactly one occurrence of <paramref name="find"/>; a fixture that no longer matches the file is an error.</summary>
    public void Replace(string relativePath, string find, string replacement)
    {
        var text = Read(relativePath);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"The fixture expects exactly one '{find}' in {relativePath}.");
        }
        Write(relativePath, text[..at] + replacement + text[(at + find.Length)..]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
