using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace OrderEvents.CustomCode.Storage;

/// <summary>An <see cref="IObjectStore"/> in process memory: for tests, benchmarks and simulations.
/// Same conditional semantics as the Blob service (create-if-absent, If-Match replace and delete) and the same
/// naming rules as every store (<see cref="ObjectNames"/>).</summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<(string Container, string Name), StoredObject> objects = new();
    private long version;

    public Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ObjectNames.ValidateContentType(contentType);
        var created = NewVersion(content, contentType);
        return Task.FromResult(objects.TryAdd((container, name), created) ? created.ETag : null);
    }

    public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        return Task.FromResult(objects.TryGetValue((container, name), out var stored) ? stored : null);
    }

    public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ObjectNames.ValidateContentType(contentType);
        var key = (container, name);
        var replacement = NewVersion(content, contentType);
        return Task.FromResult(objects.TryGetValue(key, out var current)
            && current.ETag == ifMatchETag
            && objects.TryUpdate(key, replacement, current) ? replacement.ETag : null);
    }

    public Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        var key = (container, name);
        return Task.FromResult(objects.TryGetValue(key, out var current)
            && current.ETag == ifMatchETag
            && objects.TryRemove(new KeyValuePair<(string, string), StoredObject>(key, current)));
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectNames.ValidateContainer(container);
        foreach (var key in objects.Keys.Where(k => k.Container == container && k.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key.Name;
        }
        await Task.CompletedTask;
    }

    private StoredObject NewVersion(ReadOnlyMemory<byte> content, string contentType) =>
        new(content.ToArray(), $"\"0x{Interlocked.Increment(ref version):X}\"", contentType);
}
