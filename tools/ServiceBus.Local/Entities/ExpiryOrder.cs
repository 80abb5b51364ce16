namespace ServiceBus.Local.Entities;

/// <summary>
/// The sequence numbers of an entity's waiting messages whose expiry times come in their sequence order: every message
/// stamped with its entity's default time to live, which is nearly all of them. Such a message needs no entry of its
/// own in the broker's due-time index (48 bytes each there, 8 here): the entity keeps one entry, for the earliest of
/// them, and when it falls due the broker expires from the front of this order until a message's time is still ahead.
/// A message that would break the order (a shorter time to live of its own, an old message whose lock ended after its
/// expiry) is noted in the due-time index as before. Settled messages stay here until they reach the front or the order
/// is compacted, which happens as it doubles, like the due-time index (docs/runtime/service-bus.md, "A backlog lives in
/// the store").
/// </summary>
internal sealed class ExpiryOrder
{
    private Queue<long> sequences = new();
    private long lastSequence = long.MinValue;
    private long lastExpiryTicks = long.MinValue;
    private int compactionAt;

    /// <summary>Whether the due-time index holds this entity's entry for the front of the order (at most one does).</summary>
    public bool FrontNoted { get; set; }

    public int Count => sequences.Count;

    /// <summary>Takes the message if it keeps the order (a later sequence number, an expiry no earlier than the last
    /// one taken); false means it needs an entry of its own.</summary>
    public bool TryAppend(long sequence, DateTimeOffset expiresAt)
    {
        if (sequence <= lastSequence || expiresAt.UtcTicks < lastExpiryTicks) return false;
        sequences.Enqueue(sequence);
        lastSequence = sequence;
        lastExpiryTicks = expiresAt.UtcTicks;
        return true;
    }

    public bool TryPeek(out long sequence) => sequences.TryPeek(out sequence);

    public void Dequeue() => sequences.Dequeue();

    /// <summary>Whether the order has outgrown both <paramref name="floor"/> and twice what the last compaction kept:
    /// compacting then examines each entry about once more in all.</summary>
    public bool Outgrown(int floor) => sequences.Count > Math.Max(compactionAt, floor);

    /// <summary>Drops the sequence numbers of messages no longer waiting (settled, moved, dead-lettered).</summary>
    public void Compact(Func<long, bool> stillWaiting)
    {
        var kept = new Queue<long>();
        foreach (var sequence in sequences)
        {
            if (stillWaiting(sequence)) kept.Enqueue(sequence);
        }
        sequences = kept;
        compactionAt = 2 * kept.Count;
    }
}
