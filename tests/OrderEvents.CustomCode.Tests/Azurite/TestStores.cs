using ObjectStore.Local;
using OrderEvents.CustomCode.Storage;
using TestSupport.Azurite;

namespace OrderEvents.CustomCode.Tests.Azurite;

/// <summary>The four <see cref="IObjectStore"/> implementations the shared behaviour specs run on.</summary>
public enum StoreKind
{
    InMemory,
    FileSystem,
    Sqlite,
    Azurite,
}

/// <summary>Creates a fresh store of a kind for one test, and cleans up after it.</summary>
public sealed class TestStore : IDisposable
{
    private readonly string? folder;

    private TestStore(IObjectStore store, string? folder)
    {
        Store = store;
        this.folder = folder;
    }

    public IObjectStore Store { get; }

    /// <param name="azurite">Required for <see cref="StoreKind.Azurite"/>.</param>
    /// <param name="listPageSize">Small pages make the Blob store's marker paging run in tests.</param>
    public static TestStore Create(StoreKind kind, AzuriteBlobProcess? azurite = null, int listPageSize = 2)
    {
        switch (kind)
        {
            case StoreKind.InMemory:
                return new TestStore(new InMemoryObjectStore(), null);
            case StoreKind.FileSystem:
                var folder = Directory.CreateTempSubdirectory("objectstore-").FullName;
                return new TestStore(new FileSystemObjectStore(folder), folder);
            case StoreKind.Sqlite:
                var database = Directory.CreateTempSubdirectory("objectstore-sqlite-").FullName;
                return new TestStore(new SqliteObjectStore(Path.Combine(database, SqliteObjectStore.DefaultFileName)), database);
            case StoreKind.Azurite:
                ArgumentNullException.ThrowIfNull(azurite);
                var options = new BlobObjectStoreOptions { ListPageSize = listPageSize };
                options.Retry.Delay = TimeSpan.FromMilliseconds(10);
                return new TestStore(DevelopmentStorage.Store(azurite.BlobEndpoint, options), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>A container name no other test uses (Azurite is shared by the classes running at the same time).</summary>
    public static string NewContainer(string prefix = "spec") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 25)];

    public void Dispose()
    {
        (Store as IDisposable)?.Dispose();
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
