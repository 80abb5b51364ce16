using ObjectStore.Local;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace LocalLogicApp.Storage;

/// <summary>
/// Builds the services the custom-code functions run with locally, from the same app settings the Logic Apps host
/// reads (<see cref="ObjectStoreSettings"/>, <see cref="CustomCodeOptions.FromSettings"/>). The local difference: with no
/// <c>Storage_Provider</c> (or <c>Storage_Provider=Sqlite</c>) the store is the local runtime's
/// <see cref="SqliteObjectStore"/>, one file in the state folder, <c>&lt;state&gt;/storage.db</c>; a state folder that
/// still holds the earlier one-file-per-object layout (<c>&lt;state&gt;/storage/</c>) is imported into it on first open
/// (<see cref="FileSystemLayoutImport"/>). <c>Storage_Provider=FileSystem</c> keeps the file-system store, in
/// <c>&lt;state&gt;/storage</c> unless <c>Storage_FileSystemRoot</c> says otherwise (as does a
/// <c>Storage_FileSystemRoot</c> set without a provider). <c>Storage_Provider=Blob</c> with
/// <c>Storage_ConnectionString=UseDevelopmentStorage=true</c> switches to Azurite.
/// </summary>
public static class CustomCodeStorage
{
    /// <summary>The <c>Storage_Provider</c> value of the local runtime's SQLite store (the local default).</summary>
    public const string SqliteProvider = "Sqlite";

    public static CustomCodeServices Create(IReadOnlyDictionary<string, string> settings, string stateFolder, TimeProvider clock, Action<string>? log = null) =>
        new(CreateStore(settings, stateFolder, log), clock, Options(settings));

    public static CustomCodeOptions Options(IReadOnlyDictionary<string, string> settings) => CustomCodeOptions.FromSettings(Reader(settings));

    /// <param name="log">Told what an import of the earlier layout did.</param>
    public static IObjectStore CreateStore(IReadOnlyDictionary<string, string> settings, string stateFolder, Action<string>? log = null)
    {
        if (!UsesSqlite(settings))
        {
            var provider = Reader(settings)(ObjectStoreSettings.Provider);
            if (!string.IsNullOrWhiteSpace(provider) && !provider.Equals("FileSystem", StringComparison.OrdinalIgnoreCase) && !provider.Equals("Blob", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The app setting {ObjectStoreSettings.Provider} is '{provider}'; the local runtime takes '{SqliteProvider}' (its default: {SqliteObjectStore.DefaultFileName} in the state folder), 'FileSystem' or 'Blob'.");
            }
            return ObjectStoreSettings.CreateObjectStore(LocalDefaults(settings, stateFolder), stateFolder);
        }
        var store = new SqliteObjectStore(DatabasePath(stateFolder));
        try
        {
            if (FileSystemLayoutImport.ImportIfPresentAsync(StorageFolder(stateFolder), store, TimeProvider.System).GetAwaiter().GetResult() is { } imported)
            {
                log?.Invoke("custom-code storage: " + imported);
            }
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>The SQLite store's file in a state folder.</summary>
    public static string DatabasePath(string stateFolder) => Path.Combine(Path.GetFullPath(stateFolder), SqliteObjectStore.DefaultFileName);

    /// <summary>The file-system store's folder in a state folder (<c>Storage_Provider=FileSystem</c>, and the earlier
    /// default's layout).</summary>
    public static string StorageFolder(string stateFolder) => Path.Combine(stateFolder, "storage");

    /// <summary>Where the store is, for people (never a connection string: it may hold a key).</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings, string stateFolder)
    {
        var setting = LocalDefaults(settings, stateFolder);
        if (UsesSqlite(settings)) return "SQLite: " + DatabasePath(stateFolder);
        if (!string.Equals(setting(ObjectStoreSettings.Provider), "Blob", StringComparison.OrdinalIgnoreCase))
            return "file system: " + Path.GetFullPath(setting(ObjectStoreSettings.FileSystemRoot)!, stateFolder);
        if (setting(ObjectStoreSettings.BlobServiceUri) is { Length: > 0 } uri) return $"Azure Storage {uri} (Microsoft Entra)";
        return setting(ObjectStoreSettings.ConnectionString) is { } connection && connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            ? "Azurite (UseDevelopmentStorage=true)"
            : $"Azure Storage (from {ObjectStoreSettings.ConnectionString})";
    }

    private static bool UsesSqlite(IReadOnlyDictionary<string, string> settings)
    {
        var read = Reader(settings);
        var provider = read(ObjectStoreSettings.Provider);
        return string.IsNullOrWhiteSpace(provider)
            ? string.IsNullOrWhiteSpace(read(ObjectStoreSettings.FileSystemRoot))
            : provider.Equals(SqliteProvider, StringComparison.OrdinalIgnoreCase);
    }

    private static Func<string, string?> LocalDefaults(IReadOnlyDictionary<string, string> settings, string stateFolder)
    {
        var read = Reader(settings);
        return name => name == ObjectStoreSettings.FileSystemRoot && string.IsNullOrWhiteSpace(read(name)) ? StorageFolder(stateFolder) : read(name);
    }

    private static Func<string, string?> Reader(IReadOnlyDictionary<string, string> settings) =>
        name => settings.TryGetValue(name, out var value) ? value : null;
}
