using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local;

/// <summary>
/// A backlog lives in the store, like a namespace's backlog lives on the service's disks: beyond a window, a waiting
/// message keeps in memory only what receive ordering, sessions, locks, TTL and scheduling need (sequence number,
/// session id, state, expiry and due times, delivery count); its payload (body, application and system properties) is in
/// the store only. Each queue, subscription and dead-letter queue keeps the payloads of up to
/// <see cref="PayloadsInMemoryPerEntity"/> messages; a message that arrives beyond that has its payload dropped from
/// memory once the batch that wrote it is committed (never before: the store must be able to give it back). A receive,
/// peek or move (dead-lettering, forwarding, expiry, a scheduled message falling due) reads an evicted payload back from
/// the store first; a locked message keeps its payload until it is settled, released or deferred. After a restart of a
/// SQLite broker no payload is in memory until it is needed. Scheduled messages keep theirs (they are few, and a topic's
/// fan-out evaluates filters on them).
/// </summary>
public sealed partial class LocalServiceBus
{
    /// <summary>The default window (<see cref="PayloadsInMemoryPerEntity"/>): about 1,000 × the product's ~2–10 KB
    /// events per entity, so a simulated day (at most 1,000 events in flight) never reads a payload back.</summary>
    public const int DefaultPayloadsInMemoryPerEntity = 1000;

    private readonly Queue<(long Ticket, BrokerMessage Message, MessageSet Collection, string StoragePath)> evictions = new();

    /// <summary>How many message payloads (body and properties) each entity (and each dead-letter queue) keeps in memory.</summary>
    public int PayloadsInMemoryPerEntity { get; }

    /// <summary>Notes that <paramref name="m"/>, just written at <paramref name="storagePath"/> (or, with
    /// <paramref name="durable"/>, read from the store), can give its payload back to the store once its write is
    /// committed, if its collection is beyond the window.</summary>
    private void ConsiderEviction(MessageSet collection, string storagePath, BrokerMessage m, bool durable = false)
    {
        if (collection.Count <= PayloadsInMemoryPerEntity || !m.HasPayloadInMemory || m.State == ServiceBusMessageState.Scheduled) return;
        evictions.Enqueue((durable ? 0 : writer.NextTicket, m, collection, storagePath));
    }

    /// <summary>Drops the payloads whose messages are committed and still waiting (not locked, not moved).</summary>
    private void ApplyPayloadEvictions()
    {
        if (evictions.Count == 0) return;
        var committed = writer.Committed;
        while (evictions.TryPeek(out var e) && e.Ticket <= committed)
        {
            evictions.Dequeue();
            var m = e.Message;
            if (!m.HasPayloadInMemory || m.LockToken is not null || m.State == ServiceBusMessageState.Scheduled) continue;
            if (!e.Collection.TryGetValue(m.SequenceNumber, out var current) || !ReferenceEquals(current, m)) continue;
            m.EvictPayload(e.StoragePath);
        }
    }

    /// <summary>Payloads read back from the store so far (see <see cref="GetMemoryFigures"/>).</summary>
    private long payloadReadBacks;

    /// <summary>The message with its payload in memory (read back from the store if it was evicted).</summary>
    private BrokerMessage WithPayload(BrokerMessage m)
    {
        if (m.HasPayloadInMemory) return m;
        payloadReadBacks++;
        var path = m.PayloadStoredAt!;
        var stored = store.ReadMessage(path, m.SequenceNumber)
                     ?? throw new InvalidOperationException($"The broker's store has no message {m.SequenceNumber} at '{path}'.");
        m.RestorePayload(MessageDocument.ReadPayload(stored));
        return m;
    }
}
