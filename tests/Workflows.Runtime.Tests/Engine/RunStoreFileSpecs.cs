using Microsoft.Data.Sqlite;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// Specs that each write a runs.db of their own: a new scratch folder per test, deleted after it (SQLite's pooled
/// connections are closed first, or the file would still be open).
/// </summary>
public abstract class RunStoreFileSpecs
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected string Folder { get; private set; } = null!;

    protected string File => Path.Combine(Folder, "runs.db");

    [TestInitialize]
    public void CreateFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "run-store-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
    }

    [TestCleanup]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
