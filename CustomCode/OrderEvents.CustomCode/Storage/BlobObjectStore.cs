using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace OrderEvents.CustomCode.Storage;

/// <summary>Settings of the Blob store: the Blob SDK's own options (retry: 408, 429, 500, 502, 503, 504 and network
/// faults with exponential back-off; transport; diagnostics; service version) plus the page size of listings.</summary>
public sealed class BlobObjectStoreOptions : BlobClientOptions
{
    /// <summary>The <c>maxresults</c> of one List Blobs page (the service caps it at 5000).</summary>
    public int ListPageSize { get; set; } = 5000;

    /// <summary>Options can be shared by several stores; the attempt counter joins their pipeline once.</summary>
    internal bool HasAttemptCounter { get; set; }
}

/// <summary>
/// The Azure <see cref="IObjectStore"/>: Microsoft's Blob SDK (<c>Azure.Storage.Blobs</c>), one request per operation.
/// <list type="bullet">
/// <item>create-if-absent: Put Blob with <c>If-None-Match: *</c> → 201 and the new ETag, or 409 <c>BlobAlreadyExists</c>;</item>
/// <item>replace: Put Blob with <c>If-Match</c> → 201 and the new ETag, or 412 <c>ConditionNotMet</c> on a lost race;</item>
/// <item>delete: Delete Blob with <c>If-Match</c> → 202, or 412;</item>
/// <item>read: Get Blob (404 → null); list: List Blobs by prefix, page by page;</item>
/// <item>a write into a missing container (404 <c>ContainerNotFound</c>) creates the container and tries once more.</item>
/// </list>
/// Works on ADLS Gen2 (hierarchical namespace) accounts through multi-protocol access; directories those accounts
/// list as blobs (<c>hdi_isfolder</c> metadata) are left out of <see cref="ListAsync"/>. A conditional write whose
/// response was lost and that the SDK retried can meet its own earlier success (409/412); the store then compares
/// the stored content with what it wrote and reports the write as its own (one more read, only in that case).
/// The SDK version is pinned to what the Logic Apps worker loads: see docs/custom-code.md.
/// </summary>
public sealed class BlobObjectStore : IObjectStore
{
    private readonly BlobServiceClient service;
    private readonly int listPageSize;

    private BlobObjectStore(BlobServiceClient service, int listPageSize)
    {
        this.service = service;
        this.listPageSize = Math.Clamp(listPageSize, 1, 5000);
    }

    /// <summary>The account's Blob endpoint, without a SAS token a connection string may have added.</summary>
    public Uri ServiceUri => new UriBuilder(service.Uri) { Query = "" }.Uri;

    /// <summary>SharedKey or SAS access from a connection string (<c>UseDevelopmentStorage=true</c> for Azurite on its
    /// default port; see <see cref="DevelopmentStorage"/> for another port).</summary>
    /// <exception cref="FormatException">The connection string is unusable (the message never repeats it).</exception>
    public static BlobObjectStore FromConnectionString(string connectionString, BlobObjectStoreOptions? options = null)
    {
        options ??= new BlobObjectStoreOptions();
        BlobServiceClient client;
        try
        {
            client = new BlobServiceClient(connectionString, Prepare(options));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's exception is not passed on: its message or stack could quote the value, which holds a key.
            throw new FormatException("it is not an account connection string with AccountName and a base64 AccountKey (or UseDevelopmentStorage=true, or a BlobEndpoint with a SharedAccessSignature).");
        }
        return new BlobObjectStore(client, options.ListPageSize);
    }

    /// <summary>Microsoft Entra access (managed identity in Azure): bearer tokens for the SDK's storage audience
    /// (<c>https://storage.azure.com/</c>, scope <c>.default</c>).
    /// The identity needs the "Storage Blob Data Contributor" role on the account or container.</summary>
    public static BlobObjectStore WithTokenCredential(Uri blobServiceEndpoint, TokenCredential credential, BlobObjectStoreOptions? options = null)
    {
        options ??= new BlobObjectStoreOptions();
        return new BlobObjectStore(new BlobServiceClient(blobServiceEndpoint, credential, Prepare(options)), options.ListPageSize);
    }

    /// <summary>SharedKey access with an account name and key (Azurite's well-known account in tests).</summary>
    public static BlobObjectStore WithSharedKey(Uri blobServiceEndpoint, StorageSharedKeyCredential credential, BlobObjectStoreOptions? options = null)
    {
        options ??= new BlobObjectStoreOptions();
        return new BlobObjectStore(new BlobServiceClient(blobServiceEndpoint, credential, Prepare(options)), options.ListPageSize);
    }

    public async Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ObjectNames.ValidateContentType(contentType);
        var attempts = AttemptCounter.Start();
        try
        {
            return await UploadAsync(container, name, content, contentType, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return attempts.Retried ? await OwnWriteAsync(container, name, content, contentType, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure("create", container, name, ex);
        }
    }

    public async Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        try
        {
            var response = await Blob(container, name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var details = response.Value.Details;
            return new StoredObject(response.Value.Content.ToMemory(), details.ETag.ToString("H"), details.ContentType ?? "application/octet-stream");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure("read", container, name, ex);
        }
    }

    public async Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ObjectNames.ValidateContentType(contentType);
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        var attempts = AttemptCounter.Start();
        try
        {
            return await UploadAsync(container, name, content, contentType, new BlobRequestConditions { IfMatch = new ETag(ifMatchETag) }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return attempts.Retried ? await OwnWriteAsync(container, name, content, contentType, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (RequestFailedException ex)
        {
            throw Failure("replace", container, name, ex);
        }
    }

    public async Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        var attempts = AttemptCounter.Start();
        try
        {
            await Blob(container, name).DeleteAsync(DeleteSnapshotsOption.None, new BlobRequestConditions { IfMatch = new ETag(ifMatchETag) }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // After a retry: the first attempt deleted it and only its response was lost.
            return attempts.Retried;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
        catch (RequestFailedException ex)
        {
            throw Failure("delete", container, name, ex);
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectNames.ValidateContainer(container);
        ArgumentNullException.ThrowIfNull(prefix);
        var pages = service.GetBlobContainerClient(container)
            .GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix.Length > 0 ? prefix : null, cancellationToken)
            .AsPages(pageSizeHint: listPageSize)
            .GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    yield break; // no container, no objects
                }
                catch (RequestFailedException ex)
                {
                    throw Failure("list", container, prefix + "*", ex);
                }
                foreach (var blob in pages.Current.Values)
                {
                    if (!IsDirectory(blob))
                    {
                        yield return blob.Name;
                    }
                }
            }
        }
    }

    /// <summary>HNS accounts list directories made through the Blob API as blobs with <c>hdi_isfolder</c> metadata.</summary>
    private static bool IsDirectory(BlobItem blob) =>
        blob.Metadata is { } metadata && metadata.TryGetValue("hdi_isfolder", out var folder) && string.Equals(folder, "true", StringComparison.OrdinalIgnoreCase);

    private BlobClient Blob(string container, string name) => service.GetBlobContainerClient(container).GetBlobClient(name);

    /// <summary>One Put Blob (the SDK uploads content below its single-upload threshold in one request); a missing
    /// container is created once and the upload repeated.</summary>
    private async Task<string> UploadAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType }, Conditions = conditions };
        var data = BinaryData.FromBytes(content);
        try
        {
            return (await Blob(container, name).UploadAsync(data, options, cancellationToken).ConfigureAwait(false)).Value.ETag.ToString("H");
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            try
            {
                await service.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException createFailed)
            {
                throw Failure("create the container for", container, "", createFailed);
            }
            AttemptCounter.Restart(); // the write starts over: a conflict now is not a retry of our own
            return (await Blob(container, name).UploadAsync(data, options, cancellationToken).ConfigureAwait(false)).Value.ETag.ToString("H");
        }
    }

    /// <summary>After a retried write met a conflict: the ETag when the stored object is exactly what was written
    /// (the first attempt succeeded and only its response was lost), else null.</summary>
    private async Task<string?> OwnWriteAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
        return stored is not null && stored.ContentType == contentType && stored.Content.Span.SequenceEqual(content.Span) ? stored.ETag : null;
    }

    private static BlobObjectStoreOptions Prepare(BlobObjectStoreOptions options)
    {
        lock (options)
        {
            if (!options.HasAttemptCounter)
            {
                options.AddPolicy(AttemptCounter.Policy, HttpPipelinePosition.PerRetry);
                options.HasAttemptCounter = true;
            }
        }
        return options;
    }

    /// <summary>Status, error code, the first line of the service's message and the request id; never request
    /// headers and never the authentication detail (it echoes the string to sign). The SDK's exception is not kept as
    /// the inner exception because its message carries that detail.</summary>
    private static ObjectStoreException Failure(string operation, string container, string name, RequestFailedException ex)
    {
        var code = string.IsNullOrEmpty(ex.ErrorCode) ? $"Http{ex.Status}" : ex.ErrorCode;
        var raw = ex.GetRawResponse();
        var serviceMessage = ex.Message.Split('\n')[0].Trim();
        var requestId = raw?.Headers.RequestId;
        var target = name.Length > 0 ? $"{container}/{name}" : container;
        var status = ex.Status == 0 ? "no response" : $"{ex.Status} {raw?.ReasonPhrase}".TrimEnd();
        return new ObjectStoreException(code,
            $"Blob Storage refused to {operation} '{target}': {status} ({code})"
            + (serviceMessage.Length > 0 ? $": {serviceMessage}" : "")
            + (requestId is null ? "." : $". Request id {requestId}."),
            ex.Status == 0 ? null : ex.Status, requestId);
    }

    /// <summary>Counts the attempts of the current operation (the SDK retries below the store): an AsyncLocal box
    /// set by the operation flows into the pipeline, and this per-retry policy counts each attempt in it.</summary>
    private sealed class AttemptCounter : HttpPipelineSynchronousPolicy
    {
        public static readonly AttemptCounter Policy = new();
        private static readonly AsyncLocal<Attempts?> Current = new();

        public static Attempts Start()
        {
            var attempts = new Attempts();
            Current.Value = attempts;
            return attempts;
        }

        public static void Restart()
        {
            if (Current.Value is { } attempts)
            {
                Volatile.Write(ref attempts.Count, 0);
            }
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            if (Current.Value is { } attempts)
            {
                Interlocked.Increment(ref attempts.Count);
            }
        }
    }

    private sealed class Attempts
    {
        public int Count;

        public bool Retried => Volatile.Read(ref Count) > 1;
    }
}
