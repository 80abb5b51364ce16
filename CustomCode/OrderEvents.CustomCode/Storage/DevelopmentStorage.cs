using Azure.Storage;

namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// Azurite's well-known development account (public and documented in the Azurite README; the only place it is
/// written): for a Blob store on an Azurite that listens somewhere other than the default port that
/// <c>UseDevelopmentStorage=true</c> means (127.0.0.1:10000).
/// </summary>
public static class DevelopmentStorage
{
    public const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A Blob store on the Azurite at <paramref name="blobEndpoint"/> (<c>http://127.0.0.1:{port}/devstoreaccount1</c>).</summary>
    public static BlobObjectStore Store(Uri blobEndpoint, BlobObjectStoreOptions? options = null) =>
        BlobObjectStore.WithSharedKey(blobEndpoint, new StorageSharedKeyCredential(AccountName, AccountKey), options);

    /// <summary>The connection string of that Azurite, e.g. for the <c>Storage_ConnectionString</c> app setting.</summary>
    public static string ConnectionString(Uri blobEndpoint) =>
        $"DefaultEndpointsProtocol={blobEndpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={blobEndpoint.AbsoluteUri.TrimEnd('/')};";
}
