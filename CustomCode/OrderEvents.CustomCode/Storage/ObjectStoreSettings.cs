using Azure.Identity;

namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// Chooses the <see cref="IObjectStore"/> from app settings (the same names locally and in Azure):
/// <list type="table">
/// <item><term><c>Storage_Provider</c></term><description><c>FileSystem</c> (default) or <c>Blob</c>. (The local runtime
/// also takes <c>Sqlite</c>, its own default, before it asks this class: tools/LocalLogicApp/Storage/CustomCodeStorage.)</description></item>
/// <item><term><c>Storage_FileSystemRoot</c></term><description>FileSystem: the folder (relative to the app root; default <c>.local/storage</c>).</description></item>
/// <item><term><c>Storage_BlobServiceUri</c></term><description>Blob with Microsoft Entra (production): <c>https://{account}.blob.core.windows.net</c>; the app's managed identity needs "Storage Blob Data Contributor".</description></item>
/// <item><term><c>Storage_ManagedIdentityClientId</c></term><description>Optional: the client id of a user-assigned identity.</description></item>
/// <item><term><c>Storage_ConnectionString</c></term><description>Blob with SharedKey or SAS: <c>UseDevelopmentStorage=true</c> for Azurite, or an account-key connection string (keep it in Key Vault).</description></item>
/// </list>
/// </summary>
public static class ObjectStoreSettings
{
    public const string Provider = "Storage_Provider";
    public const string FileSystemRoot = "Storage_FileSystemRoot";
    public const string BlobServiceUri = "Storage_BlobServiceUri";
    public const string ManagedIdentityClientId = "Storage_ManagedIdentityClientId";
    public const string ConnectionString = "Storage_ConnectionString";
    public const string DefaultFileSystemRoot = ".local/storage";

    /// <param name="setting">Reads one app setting (null when absent).</param>
    /// <param name="appRoot">Folder a relative <c>Storage_FileSystemRoot</c> is resolved against.</param>
    /// <exception cref="InvalidOperationException">The settings name no usable store; the message names the setting.</exception>
    public static IObjectStore CreateObjectStore(Func<string, string?> setting, string appRoot)
    {
        var provider = setting(Provider);
        if (string.IsNullOrWhiteSpace(provider) || provider.Equals("FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            var root = setting(FileSystemRoot);
            return new FileSystemObjectStore(Path.GetFullPath(string.IsNullOrWhiteSpace(root) ? DefaultFileSystemRoot : root, appRoot));
        }
        if (!provider.Equals("Blob", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The app setting {Provider} is '{provider}'; use 'FileSystem' or 'Blob'.");
        }

        var serviceUri = setting(BlobServiceUri);
        if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException($"The app setting {BlobServiceUri} must be an https URI such as https://<account>.blob.core.windows.net.");
            }
            var clientId = setting(ManagedIdentityClientId);
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
            });
            return BlobObjectStore.WithTokenCredential(endpoint, credential);
        }

        var connectionString = setting(ConnectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{Provider} is 'Blob' but neither {BlobServiceUri} (Microsoft Entra) nor {ConnectionString} (SharedKey or SAS, e.g. UseDevelopmentStorage=true) is set.");
        }
        try
        {
            return BlobObjectStore.FromConnectionString(connectionString);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"The app setting {ConnectionString} is unusable: {ex.Message}", ex);
        }
    }
}
