using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>
/// Message bodies beyond a window stay in the store only, so that a backlog costs memory for its messages' properties
/// but not for their payloads. Each queue, subscription and dead-letter queue keeps the bodies of up to
/// <see cref="BodiesInMemoryPerEntity"/> messages; a message that arrives beyond that has its body dropped from memory
/// once the batch that wrote it is committed (never before: the store must be able to give it back). A receive, peek or
/// move (dead-lettering, forwarding, a scheduled message falling due) reads an evicted body back from the store first;
/// a locked message keeps its body until it is settled, released or deferred. After a restart of a SQLite broker no body
/// is in memory until it is needed.
/// </summary>
public sealed partial class LocalServiceBus
{
    /// <summary>The default window (<see cref="BodiesInMemoryPerEntity"/>): about 1,000 × the product's ~2–10 KB
    /// events per entity, so a simulated day (at most 1,000 events in flight) never reads a body back.</summary>
    public const int DefaultBodiesInMemoryPerEntity = 1000;

    private readonly Queue<(long Ticket, BrokerMessage Message, MessageSet Collection, string StoragePath)> evictions = new();

    /// <summary>How many message bodies each entity (and each dead-letter queue) keeps in memory.</summary>
    public int BodiesInMemoryPerEntity { get; }

    /// <summary>Notes that <paramref name="m"/>, just written at <paramref name="storagePath"/> (or, with
    /// <paramref name="durable"/>, read from the store), can give its body back to the store once its write is
    /// committed, if its collection is beyond the window.</summary>
    private void ConsiderEviction(MessageSet collection, string storagePath, BrokerMessage m, bool durable = false)
    {
        if (collection.Count <= BodiesInMemoryPerEntity || !m.HasBodyInMemory || m.State == ServiceBusMessageState.Scheduled) return;
        evictions.Enqueue((durable ? 0 : writer.NextTicket, m, collection, storagePath));
    }

    /// <summary>Drops the bodies whose messages are committed and still waiting (not locked, not moved).</summary>
    private void ApplyBodyEvictions()
    {
        if (evictions.Count == 0) return;
        var committed = writer.Committed;
        while (evictions.TryPeek(out var e) && e.Ticket <= committed)
        {
            evictions.Dequeue();
            var m = e.Message;
            if (!m.HasBodyInMemory || m.LockToken is not null || m.State == ServiceBusMessageState.Scheduled) continue;
            if (!e.Collection.TryGetValue(m.SequenceNumber, out var current) || !ReferenceEquals(current, m)) continue;
            m.EvictBody(e.StoragePath);
        }
    }

    /// <summary>The message with its body in memory (read back from the store if it was evicted).</summary>
    private BrokerMessage WithBody(BrokerMessage m)
    {
        if (m.HasBodyInMemory) return m;
        var (path, sequence) = m.BodyLocation!.Value;
        m.Body = store.ReadBody(path, sequence)
                 ?? throw new InvalidOperationException($"The broker's store has no body for message {sequence} at '{path}'.");
        return m;
    }
}
