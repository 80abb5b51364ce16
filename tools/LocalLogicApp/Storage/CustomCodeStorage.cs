using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace LocalLogicApp.Storage;

/// <summary>
/// Builds the services the custom-code functions run with locally. Storage is the file system under
/// <c>.local/storage</c> (the embedded default: nothing to install), or Azure Storage / Azurite when the app
/// setting <c>LocalApp_StorageConnectionString</c> holds a connection string (<c>UseDevelopmentStorage=true</c>
/// for Azurite). Containers come from <c>Lake_Container</c> and <c>Idempotency_Container</c> when set.
/// </summary>
public static class CustomCodeStorage
{
    public const string ConnectionStringSetting = "LocalApp_StorageConnectionString";
    public const string LakeContainerSetting = "Lake_Container";
    public const string IdempotencyContainerSetting = "Idempotency_Container";

    public static CustomCodeServices Create(IReadOnlyDictionary<string, string> settings, string stateFolder, TimeProvider clock) =>
        new(CreateStore(settings, stateFolder), clock, Options(settings));

    public static IObjectStore CreateStore(IReadOnlyDictionary<string, string> settings, string stateFolder) =>
        settings.TryGetValue(ConnectionStringSetting, out var connectionString) && !string.IsNullOrWhiteSpace(connectionString)
            ? BlobObjectStore.FromConnectionString(connectionString)
            : new FileSystemObjectStore(StorageFolder(stateFolder));

    public static string StorageFolder(string stateFolder) => Path.Combine(stateFolder, "storage");

    /// <summary>Where the store is, for people (never the connection string itself: it may hold a key).</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings, string stateFolder) =>
        settings.TryGetValue(ConnectionStringSetting, out var connectionString) && !string.IsNullOrWhiteSpace(connectionString)
            ? (connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ? "Azurite (UseDevelopmentStorage=true)" : "Azure Storage (from " + ConnectionStringSetting + ")")
            : "file system: " + StorageFolder(stateFolder);

    public static CustomCodeOptions Options(IReadOnlyDictionary<string, string> settings)
    {
        var options = new CustomCodeOptions();
        if (settings.TryGetValue(LakeContainerSetting, out var lake) && !string.IsNullOrWhiteSpace(lake)) options = options with { LakeContainer = lake };
        if (settings.TryGetValue(IdempotencyContainerSetting, out var idempotency) && !string.IsNullOrWhiteSpace(idempotency)) options = options with { IdempotencyContainer = idempotency };
        return options;
    }
}
