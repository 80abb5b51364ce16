using OrderEvents.CustomCode.Storage;

namespace Workflows.Tests.Support;

/// <summary>
/// The in-memory object store, with outages of one container on demand: while a container is unavailable,
/// every call to it throws as the storage SDK does when the account cannot be reached.
/// </summary>
public sealed class ObjectStoreWithOutages(IObjectStore inner) : IObjectStore
{
    private readonly Dictionary<string, int> outages = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly Dictionary<string, Action> afterNextCreate = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="calls"/> calls to <paramref name="container"/> fail.</summary>
    public void MakeUnavailable(string container, int calls = int.MaxValue)
    {
        lock (gate) outages[container] = calls;
    }

    /// <summary>Once the next create in <paramref name="container"/> is stored, <paramref name="then"/> runs before the caller
    /// hears of it (e.g. the host dies right after the write).</summary>
    public void AfterNextCreate(string container, Action then)
    {
        lock (gate) afterNextCreate[container] = then;
    }

    public async Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        FailIfUnavailable(container);
        var created = await inner.TryCreateAsync(container, name, content, contentType, cancellationToken).ConfigureAwait(false);
        Action? then;
        lock (gate)
        {
            if (afterNextCreate.Remove(container, out then) is false) then = null;
        }
        then?.Invoke();
        return created;
    }

    public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        FailIfUnavailable(container);
        return inner.ReadAsync(container, name, cancellationToken);
    }

    public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        FailIfUnavailable(container);
        return inner.TryReplaceAsync(container, name, content, contentType, ifMatchETag, cancellationToken);
    }

    public Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        FailIfUnavailable(container);
        return inner.TryDeleteAsync(container, name, ifMatchETag, cancellationToken);
    }

    public IAsyncEnumerable<string> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) =>
        inner.ListAsync(container, prefix, cancellationToken);

    private void FailIfUnavailable(string container)
    {
        lock (gate)
        {
            if (!outages.TryGetValue(container, out var left) || left <= 0) return;
            outages[container] = left - 1;
        }
        throw new IOException($"The storage account is unreachable (container '{container}'): connection refused.");
    }
}
