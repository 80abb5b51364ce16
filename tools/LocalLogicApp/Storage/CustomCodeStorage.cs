using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace LocalLogicApp.Storage;

/// <summary>
/// Builds the services the custom-code functions run with locally, from the same app settings the Logic Apps host
/// reads (<see cref="ObjectStoreSettings"/>, <see cref="CustomCodeOptions.FromSettings"/>). The one local difference:
/// the file-system store (the embedded default) lives in the state folder, <c>&lt;state&gt;/storage</c>, unless
/// <c>Storage_FileSystemRoot</c> says otherwise. <c>Storage_Provider=Blob</c> with
/// <c>Storage_ConnectionString=UseDevelopmentStorage=true</c> switches to Azurite.
/// </summary>
public static class CustomCodeStorage
{
    public static CustomCodeServices Create(IReadOnlyDictionary<string, string> settings, string stateFolder, TimeProvider clock) =>
        new(CreateStore(settings, stateFolder), clock, Options(settings));

    public static CustomCodeOptions Options(IReadOnlyDictionary<string, string> settings) => CustomCodeOptions.FromSettings(Reader(settings));

    public static IObjectStore CreateStore(IReadOnlyDictionary<string, string> settings, string stateFolder) =>
        ObjectStoreSettings.CreateObjectStore(LocalDefaults(settings, stateFolder), stateFolder);

    public static string StorageFolder(string stateFolder) => Path.Combine(stateFolder, "storage");

    /// <summary>Where the store is, for people (never a connection string: it may hold a key).</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings, string stateFolder)
    {
        var setting = LocalDefaults(settings, stateFolder);
        if (!string.Equals(setting(ObjectStoreSettings.Provider), "Blob", StringComparison.OrdinalIgnoreCase))
            return "file system: " + Path.GetFullPath(setting(ObjectStoreSettings.FileSystemRoot)!, stateFolder);
        if (setting(ObjectStoreSettings.BlobServiceUri) is { Length: > 0 } uri) return $"Azure Storage {uri} (Microsoft Entra)";
        return setting(ObjectStoreSettings.ConnectionString) is { } connection && connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            ? "Azurite (UseDevelopmentStorage=true)"
            : $"Azure Storage (from {ObjectStoreSettings.ConnectionString})";
    }

    private static Func<string, string?> LocalDefaults(IReadOnlyDictionary<string, string> settings, string stateFolder)
    {
        var read = Reader(settings);
        return name => name == ObjectStoreSettings.FileSystemRoot && string.IsNullOrWhiteSpace(read(name)) ? StorageFolder(stateFolder) : read(name);
    }

    private static Func<string, string?> Reader(IReadOnlyDictionary<string, string> settings) =>
        name => settings.TryGetValue(name, out var value) ? value : null;
}
