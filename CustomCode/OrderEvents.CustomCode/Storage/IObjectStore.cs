namespace OrderEvents.CustomCode.Storage;

/// <summary>
/// Blob-like object storage: the one seam between the custom code and Azure Storage. The Azure implementation is the
/// official Blob SDK (works on ADLS Gen2 accounts through multi-protocol access); locally the library's default is the
/// file system, and the local runtime's embedded default is one SQLite file (tools/ObjectStore.Local). Idempotency records and lake writes are pure logic on top of it.
/// Every method is one storage transaction (one request to the Blob service) unless it says otherwise, and the
/// conditional writes return the new version's ETag, so a caller can chain a claim and its completion in two.
/// </summary>
public interface IObjectStore
{
    /// <summary>Creates the object only when it does not exist (Blob: <c>If-None-Match: *</c>).</summary>
    /// <returns>The ETag of the created object, or null (nothing changed) when it already exists.</returns>
    Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Reads the object, or null when it does not exist.</summary>
    Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces the object only while its ETag still equals <paramref name="ifMatchETag"/>
    /// (Blob: <c>If-Match</c>).</summary>
    /// <returns>The ETag of the new version, or null on a lost race or when the object is gone.</returns>
    Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object only while its ETag still matches. Returns false on a lost race or when it is gone.</summary>
    Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default);

    /// <summary>Names of the objects under a prefix (used by operator tooling, not on the hot path; one transaction
    /// per page of results).</summary>
    IAsyncEnumerable<string> ListAsync(string container, string prefix, CancellationToken cancellationToken = default);
}

public sealed record StoredObject(ReadOnlyMemory<byte> Content, string ETag, string ContentType);
