using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace OrderEvents.CustomCode.Storage;

/// <summary>Storage operations counted by <see cref="CountingObjectStore"/>. On Blob Storage each is one billed
/// transaction (a listing is one per page of up to 5000 names; counted here once per call).</summary>
public readonly record struct StorageOperationCounts(long Creates, long Reads, long Replaces, long Deletes, long Lists)
{
    public long Transactions => Creates + Reads + Replaces + Deletes + Lists;

    public static StorageOperationCounts operator +(StorageOperationCounts a, StorageOperationCounts b) =>
        new(a.Creates + b.Creates, a.Reads + b.Reads, a.Replaces + b.Replaces, a.Deletes + b.Deletes, a.Lists + b.Lists);
}

/// <summary>
/// An <see cref="IObjectStore"/> decorator that counts the operations passing through it, in total and per owner:
/// what "storage transactions per message" is measured with. The owner of an operation is whatever
/// <c>currentOwner</c> answers when it starts; by default the owner set with <see cref="AttributeTo"/> for the
/// current async flow (for example the subscriber whose workflow run is calling the custom code), else "".
/// </summary>
public sealed class CountingObjectStore(IObjectStore inner, Func<string?>? currentOwner = null) : IObjectStore
{
    private static readonly AsyncLocal<string?> AttributedOwner = new();
    private readonly ConcurrentDictionary<string, Counters> byOwner = new(StringComparer.Ordinal);
    private readonly Func<string?> owner = currentOwner ?? (() => AttributedOwner.Value);

    /// <summary>Attributes the operations of this async flow (and the tasks it starts) to <paramref name="owner"/>
    /// until the result is disposed.</summary>
    public static IDisposable AttributeTo(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var previous = AttributedOwner.Value;
        AttributedOwner.Value = owner;
        return new Attribution(previous);
    }

    /// <summary>All operations so far.</summary>
    public StorageOperationCounts Total => byOwner.Values.Aggregate(default(StorageOperationCounts), (sum, c) => sum + c.Snapshot());

    /// <summary>Operations so far per owner ("" for operations no owner was attributed to).</summary>
    public IReadOnlyDictionary<string, StorageOperationCounts> ByOwner =>
        byOwner.ToDictionary(entry => entry.Key, entry => entry.Value.Snapshot(), StringComparer.Ordinal);

    /// <summary>The operations of one owner so far (zero when it made none).</summary>
    public StorageOperationCounts Of(string owner) => byOwner.TryGetValue(owner, out var counters) ? counters.Snapshot() : default;

    public void Reset() => byOwner.Clear();

    public Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Current().Creates);
        return inner.TryCreateAsync(container, name, content, contentType, cancellationToken);
    }

    public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Current().Reads);
        return inner.ReadAsync(container, name, cancellationToken);
    }

    public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Current().Replaces);
        return inner.TryReplaceAsync(container, name, content, contentType, ifMatchETag, cancellationToken);
    }

    public Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Current().Deletes);
        return inner.TryDeleteAsync(container, name, ifMatchETag, cancellationToken);
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Current().Lists);
        await foreach (var name in inner.ListAsync(container, prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return name;
        }
    }

    private Counters Current() => byOwner.GetOrAdd(owner() ?? "", _ => new Counters());

    private sealed class Counters
    {
        public long Creates;
        public long Reads;
        public long Replaces;
        public long Deletes;
        public long Lists;

        public StorageOperationCounts Snapshot() => new(
            Interlocked.Read(ref Creates), Interlocked.Read(ref Reads), Interlocked.Read(ref Replaces),
            Interlocked.Read(ref Deletes), Interlocked.Read(ref Lists));
    }

    private sealed class Attribution(string? previous) : IDisposable
    {
        public void Dispose() => AttributedOwner.Value = previous;
    }
}
