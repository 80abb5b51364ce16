namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// A storage account reached with its account key (SharedKey): what a connection string names. Used for Azurite
/// (<c>UseDevelopmentStorage=true</c>) and for accounts where keys are allowed; production uses Microsoft Entra
/// (<see cref="BlobObjectStore.WithTokenCredential"/>). <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class StorageAccountKey
{
    /// <summary>Azurite's well-known account: public and documented (Azurite README), the only place it is written.</summary>
    private const string DevelopmentAccountName = "devstoreaccount1";
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Uri DevelopmentBlobEndpoint = new("http://127.0.0.1:10000/devstoreaccount1");

    private StorageAccountKey(string accountName, byte[] key, Uri blobEndpoint)
    {
        AccountName = accountName;
        Key = key;
        BlobEndpoint = blobEndpoint;
    }

    public string AccountName { get; }

    /// <summary>The Blob service endpoint; for Azurite it includes the account as the first path segment.</summary>
    public Uri BlobEndpoint { get; }

    internal byte[] Key { get; }

    /// <summary>The Azurite account, on its default endpoint or on <paramref name="blobEndpoint"/> (a test's own port).</summary>
    public static StorageAccountKey DevelopmentStorage(Uri? blobEndpoint = null) =>
        new(DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey), blobEndpoint ?? DevelopmentBlobEndpoint);

    /// <summary>
    /// Parses an Azure Storage connection string: <c>UseDevelopmentStorage=true[;DevelopmentStorageProxyUri=...]</c>, or
    /// <c>AccountName</c> + <c>AccountKey</c> with <c>BlobEndpoint</c> or <c>DefaultEndpointsProtocol</c> +
    /// <c>EndpointSuffix</c>. Error messages name the setting, never its value.
    /// </summary>
    /// <exception cref="FormatException">The connection string is unusable for SharedKey access to Blob Storage.</exception>
    public static StorageAccountKey Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The storage connection string is empty.");
        }
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException("The storage connection string has a part without 'name=value'.");
            }
            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            if (settings.TryGetValue("DevelopmentStorageProxyUri", out var proxy))
            {
                if (!Uri.TryCreate(proxy, UriKind.Absolute, out var proxyUri))
                {
                    throw new FormatException("DevelopmentStorageProxyUri in the storage connection string is not an absolute URI.");
                }
                return DevelopmentStorage(new Uri($"{proxyUri.Scheme}://{proxyUri.Host}:10000/{DevelopmentAccountName}"));
            }
            return DevelopmentStorage();
        }
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("SAS connection strings are not supported: use an account key (Azurite) or Microsoft Entra (Storage_BlobServiceUri).");
        }
        if (!settings.TryGetValue("AccountName", out var accountName) || accountName.Length == 0)
        {
            throw new FormatException("The storage connection string has no AccountName.");
        }
        if (!settings.TryGetValue("AccountKey", out var accountKey) || accountKey.Length == 0)
        {
            throw new FormatException("The storage connection string has no AccountKey.");
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            throw new FormatException("AccountKey in the storage connection string is not base64.");
        }

        Uri endpoint;
        if (settings.TryGetValue("BlobEndpoint", out var blobEndpoint))
        {
            if (!Uri.TryCreate(blobEndpoint, UriKind.Absolute, out endpoint!))
            {
                throw new FormatException("BlobEndpoint in the storage connection string is not an absolute URI.");
            }
        }
        else
        {
            var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = new Uri($"{protocol}://{accountName}.blob.{suffix}");
        }
        return new StorageAccountKey(accountName, key, endpoint);
    }

    public override string ToString() => $"{AccountName} at {BlobEndpoint} (SharedKey)";
}
