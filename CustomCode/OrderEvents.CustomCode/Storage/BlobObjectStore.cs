using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OrderEvents.CustomCode.Storage;

/// <summary>Settings of the Blob store's pipeline: Azure.Core's retry (408, 429, 500, 502, 503, 504 and network
/// faults, exponential back-off), diagnostics and transport, plus the Blob service version.</summary>
public sealed class BlobObjectStoreOptions : ClientOptions
{
    /// <summary>The <c>x-ms-version</c> sent on every request; Azurite and Azure both serve 2021-12-02.</summary>
    public string ServiceVersion { get; set; } = "2021-12-02";

    /// <summary><c>maxresults</c> of one List Blobs page (the service caps it at 5000).</summary>
    public int ListPageSize { get; set; } = 5000;
}

/// <summary>
/// The Azure <see cref="IObjectStore"/>: the Blob REST API over an Azure.Core <see cref="HttpPipeline"/>.
/// <list type="bullet">
/// <item>create-if-absent: Put Blob with <c>If-None-Match: *</c> → 201, or 409 <c>BlobAlreadyExists</c>;</item>
/// <item>replace: Put Blob with <c>If-Match</c> → 201, or 412 <c>ConditionNotMet</c> on a lost race;</item>
/// <item>delete: Delete Blob with <c>If-Match</c> → 202, or 412;</item>
/// <item>read: Get Blob (404 → null); list: List Blobs with <c>prefix</c> and <c>marker</c> paging;</item>
/// <item>a write into a missing container (404 <c>ContainerNotFound</c>) creates the container and tries once more.</item>
/// </list>
/// Works on ADLS Gen2 (hierarchical namespace) accounts through multi-protocol access; directories those accounts
/// list as zero-length blobs are left out of <see cref="ListAsync"/>. A conditional write whose response was lost and
/// that the pipeline retried can meet its own earlier success (409/412); the store then compares the stored
/// content with what it wrote and reports the write as its own.
/// </summary>
public sealed class BlobObjectStore : IObjectStore
{
    /// <summary>The OAuth scope of Azure Storage data-plane access with Microsoft Entra.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    /// <summary>The endpoint without a trailing '/': request URIs append '/{container}/{name}'.</summary>
    private readonly string serviceEndpoint;
    private readonly HttpPipeline pipeline;
    private readonly string serviceVersion;
    private readonly int listPageSize;

    public BlobObjectStore(Uri serviceEndpoint, HttpPipeline pipeline, BlobObjectStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serviceEndpoint);
        ArgumentNullException.ThrowIfNull(pipeline);
        this.serviceEndpoint = serviceEndpoint.AbsoluteUri.TrimEnd('/');
        this.pipeline = pipeline;
        serviceVersion = options?.ServiceVersion ?? new BlobObjectStoreOptions().ServiceVersion;
        listPageSize = Math.Clamp(options?.ListPageSize ?? 5000, 1, 5000);
    }

    /// <summary>SharedKey access (Azurite, or accounts where keys are allowed).</summary>
    public static BlobObjectStore WithAccountKey(StorageAccountKey account, BlobObjectStoreOptions? options = null)
    {
        options ??= new BlobObjectStoreOptions();
        return new BlobObjectStore(account.BlobEndpoint, HttpPipelineBuilder.Build(options, new SharedKeyAuthenticationPolicy(account)), options);
    }

    /// <summary>SharedKey access from a connection string (<c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public static BlobObjectStore FromConnectionString(string connectionString, BlobObjectStoreOptions? options = null) =>
        WithAccountKey(StorageAccountKey.Parse(connectionString), options);

    /// <summary>Microsoft Entra access (managed identity in Azure): bearer tokens for <see cref="StorageScope"/>.
    /// The identity needs the "Storage Blob Data Contributor" role on the account or container.</summary>
    public static BlobObjectStore WithTokenCredential(Uri blobServiceEndpoint, TokenCredential credential, BlobObjectStoreOptions? options = null)
    {
        options ??= new BlobObjectStoreOptions();
        return new BlobObjectStore(blobServiceEndpoint, HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, StorageScope)), options);
    }

    public async Task<bool> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        using var message = await SendPutAsync(container, name, content, contentType, "If-None-Match", "*", cancellationToken).ConfigureAwait(false);
        var status = message.Response.Status;
        if (status == 201)
        {
            return true;
        }
        if (status is 409 or 412)
        {
            return message.ProcessingContext.RetryNumber > 0
                && await HoldsExactlyAsync(container, name, content, contentType, cancellationToken).ConfigureAwait(false);
        }
        throw Failure("create", container, name, message.Response);
    }

    public async Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        using var message = pipeline.CreateMessage();
        Prepare(message, RequestMethod.Get, BlobUri(container, name));
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status == 404)
        {
            return null;
        }
        if (response.Status != 200)
        {
            throw Failure("read", container, name, response);
        }
        var etag = response.Headers.TryGetValue("ETag", out var value) ? value : throw Failure("read (no ETag in the response)", container, name, response);
        var contentType = response.Headers.TryGetValue("Content-Type", out var type) ? type : "application/octet-stream";
        return new StoredObject(response.Content.ToArray(), etag, contentType);
    }

    public async Task<bool> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        using var message = await SendPutAsync(container, name, content, contentType, "If-Match", ifMatchETag, cancellationToken).ConfigureAwait(false);
        var status = message.Response.Status;
        if (status == 201)
        {
            return true;
        }
        if (status is 412 or 404)
        {
            return message.ProcessingContext.RetryNumber > 0
                && await HoldsExactlyAsync(container, name, content, contentType, cancellationToken).ConfigureAwait(false);
        }
        throw Failure("replace", container, name, message.Response);
    }

    public async Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        using var message = pipeline.CreateMessage();
        Prepare(message, RequestMethod.Delete, BlobUri(container, name));
        message.Request.Headers.SetValue("If-Match", ifMatchETag);
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response.Status switch
        {
            202 => true,
            // 404 after a retry: the first attempt deleted it and only its response was lost.
            404 => message.ProcessingContext.RetryNumber > 0,
            412 => false,
            _ => throw Failure("delete", container, name, message.Response),
        };
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectNames.ValidateContainer(container);
        ArgumentNullException.ThrowIfNull(prefix);
        string? marker = null;
        do
        {
            var query = new StringBuilder($"?restype=container&comp=list&include=metadata&maxresults={listPageSize}");
            if (prefix.Length > 0)
            {
                query.Append("&prefix=").Append(Uri.EscapeDataString(prefix));
            }
            if (!string.IsNullOrEmpty(marker))
            {
                query.Append("&marker=").Append(Uri.EscapeDataString(marker));
            }
            using var message = pipeline.CreateMessage();
            Prepare(message, RequestMethod.Get, new Uri($"{serviceEndpoint}/{container}{query}"));
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (message.Response.Status == 404)
            {
                yield break;
            }
            if (message.Response.Status != 200)
            {
                throw Failure("list", container, prefix + "*", message.Response);
            }
            var page = XDocument.Parse(message.Response.Content.ToString());
            foreach (var blob in page.Root!.Element("Blobs")?.Elements("Blob") ?? [])
            {
                if (IsDirectory(blob))
                {
                    continue;
                }
                var nameElement = blob.Element("Name")!;
                yield return (string?)nameElement.Attribute("Encoded") == "true" ? Uri.UnescapeDataString(nameElement.Value) : nameElement.Value;
            }
            marker = page.Root.Element("NextMarker")?.Value;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>HNS accounts list directories as blobs: <c>ResourceType</c> directory, or the <c>hdi_isfolder</c>
    /// metadata that marks directories made through the Blob API.</summary>
    private static bool IsDirectory(XElement blob) =>
        string.Equals(blob.Element("Properties")?.Element("ResourceType")?.Value, "directory", StringComparison.OrdinalIgnoreCase)
        || string.Equals(blob.Element("Metadata")?.Element("hdi_isfolder")?.Value, "true", StringComparison.OrdinalIgnoreCase);

    private async Task<HttpMessage> SendPutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string conditionHeader, string conditionValue, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var message = pipeline.CreateMessage();
            Prepare(message, RequestMethod.Put, BlobUri(container, name));
            message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
            message.Request.Headers.SetValue("Content-Type", contentType);
            message.Request.Headers.SetValue(conditionHeader, conditionValue);
            message.Request.Content = RequestContent.Create(content);
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (attempt == 0 && message.Response.Status == 404 && ErrorCode(message.Response) == "ContainerNotFound")
            {
                message.Dispose();
                await CreateContainerAsync(container, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return message;
        }
    }

    private async Task CreateContainerAsync(string container, CancellationToken cancellationToken)
    {
        using var message = pipeline.CreateMessage();
        Prepare(message, RequestMethod.Put, new Uri($"{serviceEndpoint}/{container}?restype=container"));
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status is not (201 or 409))
        {
            throw Failure("create the container for", container, "", message.Response);
        }
    }

    private async Task<bool> HoldsExactlyAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(container, name, cancellationToken).ConfigureAwait(false);
        return stored is not null && stored.ContentType == contentType && stored.Content.Span.SequenceEqual(content.Span);
    }

    private void Prepare(HttpMessage message, RequestMethod method, Uri uri)
    {
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("x-ms-version", serviceVersion);
    }

    /// <summary>Each '/'-separated segment is escaped on its own and '/' stays plain (Azurite treats %2F differently).</summary>
    private Uri BlobUri(string container, string name) =>
        new($"{serviceEndpoint}/{container}/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}");

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    /// <summary>Status, <c>x-ms-error-code</c>, the first line of the service's message and the request id; never
    /// request headers (Authorization) and never the authentication detail (it echoes the signature).</summary>
    private static ObjectStoreException Failure(string operation, string container, string name, Response response)
    {
        var code = ErrorCode(response) ?? $"Http{response.Status}";
        string? serviceMessage = null;
        try
        {
            if (response.Content is { } body && body.ToMemory().Length > 0 && body.ToMemory().Span[0] == (byte)'<')
            {
                serviceMessage = XDocument.Parse(body.ToString()).Root?.Element("Message")?.Value.Split('\n')[0].Trim();
            }
        }
        catch (System.Xml.XmlException)
        {
            // An error body that is not XML: status and code say enough.
        }
        var requestId = response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;
        var target = name.Length > 0 ? $"{container}/{name}" : container;
        return new ObjectStoreException(code,
            $"Blob Storage refused to {operation} '{target}': {response.Status} {response.ReasonPhrase} ({code})"
            + (serviceMessage is { Length: > 0 } ? $": {serviceMessage}" : "")
            + (requestId is null ? "." : $". Request id {requestId}."),
            response.Status, requestId);
    }
}
