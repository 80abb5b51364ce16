using System.Diagnostics.CodeAnalysis;

namespace ServiceBus.Local.Entities;

/// <summary>
/// Values by sequence number, in order: what <see cref="MessageSet"/> keeps an entity's messages in. Sorted chunks of up
/// to 64 keys and values side by side (a one-level B+ tree): about 17 bytes a message where a
/// <see cref="SortedDictionary{TKey,TValue}"/> node costs 56, which a backlog of a million messages pays a million
/// times (docs/runtime/service-bus.md, "A backlog lives in the store"). Sequence numbers mostly arrive in increasing
/// order (an append to the last chunk) and leave from the front; a chunk that falls to a quarter merges with a
/// neighbour, so a backlog thinned anywhere stays compact. Enumerating while the map changes throws, as the framework's
/// collections do.
/// </summary>
internal sealed class SequenceMap<T> where T : class
{
    private const int Capacity = 64;

    private sealed class Chunk
    {
        public readonly long[] Keys = new long[Capacity];
        public readonly T?[] Values = new T?[Capacity];
        public int Count;
    }

    private readonly List<Chunk> chunks = [];
    private int version;

    public int Count { get; private set; }

    /// <summary>How many chunks hold the values (for the specs: memory follows what is left).</summary>
    internal int ChunkCount => chunks.Count;

    /// <summary>The values in sequence order.</summary>
    public IEnumerable<T> Values
    {
        get
        {
            var expected = version;
            for (var c = 0; c < chunks.Count; c++)
            {
                var chunk = chunks[c];
                for (var i = 0; i < chunk.Count; i++)
                {
                    yield return chunk.Values[i]!;
                    if (version != expected) throw new InvalidOperationException("The messages changed while they were enumerated.");
                }
            }
        }
    }

    public bool TryGetValue(long key, [NotNullWhen(true)] out T? value)
    {
        if (Find(key, out var chunk, out var index))
        {
            value = chunks[chunk].Values[index]!;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Adds <paramref name="value"/> at <paramref name="key"/>, or replaces the value there.</summary>
    public void Set(long key, T value)
    {
        version++;
        var last = chunks.Count > 0 ? chunks[^1] : null;
        if (last is null || key > last.Keys[last.Count - 1])
        {
            if (last is null || last.Count == Capacity) chunks.Add(last = new Chunk());
            last.Keys[last.Count] = key;
            last.Values[last.Count++] = value;
            Count++;
            return;
        }
        var c = ChunkFor(key);
        var chunk = chunks[c];
        var i = Array.BinarySearch(chunk.Keys, 0, chunk.Count, key);
        if (i >= 0)
        {
            chunk.Values[i] = value;
            return;
        }
        i = ~i;
        if (chunk.Count == Capacity)
        {
            var upper = new Chunk { Count = Capacity / 2 };
            Array.Copy(chunk.Keys, Capacity / 2, upper.Keys, 0, Capacity / 2);
            Array.Copy(chunk.Values, Capacity / 2, upper.Values, 0, Capacity / 2);
            Array.Clear(chunk.Values, Capacity / 2, Capacity / 2);
            chunk.Count = Capacity / 2;
            chunks.Insert(c + 1, upper);
            if (i > Capacity / 2)
            {
                chunk = upper;
                i -= Capacity / 2;
            }
        }
        Array.Copy(chunk.Keys, i, chunk.Keys, i + 1, chunk.Count - i);
        Array.Copy(chunk.Values, i, chunk.Values, i + 1, chunk.Count - i);
        chunk.Keys[i] = key;
        chunk.Values[i] = value;
        chunk.Count++;
        Count++;
    }

    public bool Remove(long key, [NotNullWhen(true)] out T? removed)
    {
        if (!Find(key, out var c, out var i))
        {
            removed = null;
            return false;
        }
        version++;
        var chunk = chunks[c];
        removed = chunk.Values[i]!;
        chunk.Count--;
        Array.Copy(chunk.Keys, i + 1, chunk.Keys, i, chunk.Count - i);
        Array.Copy(chunk.Values, i + 1, chunk.Values, i, chunk.Count - i);
        chunk.Values[chunk.Count] = null;
        Count--;
        if (chunk.Count == 0) chunks.RemoveAt(c);
        else if (chunk.Count < Capacity / 4) MergeWithNeighbour(c);
        return true;
    }

    /// <summary>Merges a chunk fallen to a quarter into a neighbour when both fit in three quarters of a chunk (room
    /// left, so an insert that follows does not split it again at once).</summary>
    private void MergeWithNeighbour(int c)
    {
        if (c + 1 < chunks.Count && chunks[c].Count + chunks[c + 1].Count <= Capacity * 3 / 4) Merge(c);
        else if (c > 0 && chunks[c - 1].Count + chunks[c].Count <= Capacity * 3 / 4) Merge(c - 1);
    }

    /// <summary>Moves chunk <paramref name="c"/> + 1 into chunk <paramref name="c"/> (its keys are all larger).</summary>
    private void Merge(int c)
    {
        var into = chunks[c];
        var from = chunks[c + 1];
        Array.Copy(from.Keys, 0, into.Keys, into.Count, from.Count);
        Array.Copy(from.Values, 0, into.Values, into.Count, from.Count);
        into.Count += from.Count;
        chunks.RemoveAt(c + 1);
    }

    private bool Find(long key, out int chunk, out int index)
    {
        chunk = index = -1;
        if (chunks.Count == 0) return false;
        chunk = ChunkFor(key);
        var found = chunks[chunk];
        index = Array.BinarySearch(found.Keys, 0, found.Count, key);
        return index >= 0;
    }

    /// <summary>The chunk that holds <paramref name="key"/> if any does: the last whose first key is not above it
    /// (the first chunk for a key below every key).</summary>
    private int ChunkFor(long key)
    {
        int low = 0, high = chunks.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) >> 1;
            if (chunks[middle].Keys[0] <= key) low = middle;
            else high = middle - 1;
        }
        return low;
    }
}
