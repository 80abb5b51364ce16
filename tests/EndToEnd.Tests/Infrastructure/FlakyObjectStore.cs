using OrderEvents.CustomCode.Storage;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>An object store whose first <c>n</c> creates under a name prefix fail like an unreachable account.</summary>
internal sealed class FlakyObjectStore(IObjectStore inner, string namePrefix, int failures) : IObjectStore
{
    private int remaining = failures;

    public Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
        name.StartsWith(namePrefix, StringComparison.Ordinal) && Interlocked.Decrement(ref remaining) >= 0
            ? throw new HttpRequestException("The storage account could not be reached (injected).")
            : inner.TryCreateAsync(container, name, content, contentType, cancellationToken);

    public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default) => inner.ReadAsync(container, name, cancellationToken);

    public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default) =>
        inner.TryReplaceAsync(container, name, content, contentType, ifMatchETag, cancellationToken);

    public Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default) =>
        inner.TryDeleteAsync(container, name, ifMatchETag, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(container, prefix, cancellationToken);
}
