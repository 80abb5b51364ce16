using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace LocalLogicApp.Bindings.ServiceBus;

/// <summary>
/// The JSON <c>contentData</c> of the messages a Service Bus binding handed to runs lately, by body, so that a message
/// fanned out to several subscriptions (every order event reaches three or four subscribers) is parsed once: the other
/// deliveries get a copy of the tree, which costs about half a parse (docs/runtime/service-bus-binding.md, "contentData
/// parsed once per message").
/// <para>What is kept is the tree handed to the first delivery's run. That is safe because the engine never changes a value
/// a record holds (docs/runtime/engine.md, "Values and copies": custom code gets a copy of the trigger's body in its inputs),
/// and a copy only reads the tree. The cache is bounded by entries and by body bytes (oldest first out); a large body
/// is not kept at all (its tree would be large and rarely shared in time).</para>
/// </summary>
public sealed class ParsedBodies(int maxEntries = ParsedBodies.DefaultMaxEntries, long maxBodyBytes = ParsedBodies.DefaultMaxBodyBytes)
{
    public const int DefaultMaxEntries = 2048;
    public const long DefaultMaxBodyBytes = 4 << 20;

    /// <summary>A body larger than this is parsed on every delivery and never kept.</summary>
    public const int MaxKeptBody = 32 * 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<Key, Entry> entries = new();
    private readonly Queue<Key> order = new();
    private long bodyBytes;

    /// <summary>How many deliveries were served from a kept tree (for specs and benchmarks).</summary>
    public long Hits { get; private set; }

    /// <summary>How many trees are kept now.</summary>
    public int Count
    {
        get { lock (gate) return entries.Count; }
    }

    /// <summary>A copy of the tree parsed earlier from the same bytes, or null.</summary>
    public JToken? TryCopy(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxKeptBody) return null;
        var key = new Key(Hash(body), body.Length);
        JToken tree;
        lock (gate)
        {
            if (!entries.TryGetValue(key, out var entry) || !body.SequenceEqual(entry.Body)) return null;
            tree = entry.Tree;
            Hits++;
        }
        // Outside the lock: the tree is only read (see the class summary).
        return JsonTree.Copy(tree);
    }

    /// <summary>Keeps <paramref name="tree"/>, parsed from <paramref name="body"/>, for the next deliveries of the same bytes.</summary>
    public void Keep(ReadOnlySpan<byte> body, JToken tree)
    {
        if (body.Length > MaxKeptBody || maxEntries <= 0 || tree is not JContainer) return;
        var key = new Key(Hash(body), body.Length);
        lock (gate)
        {
            if (entries.ContainsKey(key)) return;
            entries[key] = new Entry(body.ToArray(), tree);
            order.Enqueue(key);
            bodyBytes += body.Length;
            while (entries.Count > maxEntries || bodyBytes > maxBodyBytes)
            {
                var oldest = order.Dequeue();
                if (entries.Remove(oldest, out var gone)) bodyBytes -= gone.Body.Length;
            }
        }
    }

    private static int Hash(ReadOnlySpan<byte> body)
    {
        var hash = new HashCode();
        hash.AddBytes(body);
        return hash.ToHashCode();
    }

    private readonly record struct Key(int Hash, int Length);

    private sealed record Entry(byte[] Body, JToken Tree);
}
