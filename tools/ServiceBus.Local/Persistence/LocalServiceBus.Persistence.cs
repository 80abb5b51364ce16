using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local;

public sealed partial class LocalServiceBus
{
    /// <summary>Maps a storage path (entity, dead-letter path, or topic for its scheduled messages) to its messages.</summary>
    private MessageSet? StorageCollection(string storagePath)
    {
        var (path, deadLetter) = EntityPath.Split(storagePath);
        if (receivables.TryGetValue(path, out var entity)) return deadLetter ? entity.DeadLetters : entity.Messages;
        return !deadLetter && topics.TryGetValue(path, out var topic) ? topic.Scheduled : null;
    }

    private EntityRuntime? SequenceOwner(string path) =>
        receivables.TryGetValue(path, out var entity) ? entity : topics.TryGetValue(path, out var topic) ? topic : null;

    /// <summary>
    /// Loads the store's state. A restart drops every connection, so locks do not survive it: a locked message is
    /// released as if its lock had expired (delivery count + 1, dead-lettered past MaxDeliveryCount), except in
    /// sessions, where closing a session leaves the count unchanged (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions). Session locks go too.
    /// Payloads stay in the store (a SQLite store does not load bodies; a message without its body keeps only what
    /// ordering, sessions, locks and due times need) until a receiver needs them.
    /// Under the broker's lock like every operation: its commit arms the due pump, whose timer may fire at once (a
    /// restart finds work already due), and the pump must not change the messages while the restore still hands them
    /// to the writer (it did: a restarted host failed on "Collection was modified" or a payload read without its place).
    /// The wait for durability is outside the lock, as an operation's is.
    /// </summary>
    private void Restore()
    {
        Task durable;
        lock (gate) durable = RestoreUnderLock();
        durable.GetAwaiter().GetResult();
    }

    private Task RestoreUnderLock()
    {
        var snapshot = store.Load();
        foreach (var (path, last) in snapshot.Sequences)
        {
            if (SequenceOwner(path) is { } owner) owner.LastSequence = last;
        }
        foreach (var stored in snapshot.Messages)
        {
            var collection = StorageCollection(stored.StoragePath);
            if (collection is null) continue; // the entity left the topology; its messages stay in the store untouched
            var m = MessageDocument.Read(stored.Document, stored.Body, stored.StoragePath, stored.SequenceNumber, out var bodyInDocument);
            // A document of a version that did not store what the message counts toward its quota, whose body is kept
            // apart: read the body so the size is known (MessageSet counts it as the message is put back).
            if (!m.HasPayloadInMemory && m.CountedSize == 0) WithPayload(m);
            collection[stored.SequenceNumber] = m;
            if (bodyInDocument) changes.Message(stored.StoragePath, stored.SequenceNumber); // rewritten with the body beside the document
            else m.BodyStoredAt = stored.StoragePath;
            ConsiderEviction(collection, stored.StoragePath, m, durable: !bodyInDocument);
        }
        foreach (var d in snapshot.Duplicates)
        {
            if (SequenceOwner(d.EntityPath) is { Duplicates: { } history } owner)
            {
                history[d.MessageId] = (d.ExpiresAt, d.SequenceNumber);
                NoteDuplicate(owner, d.MessageId, d.ExpiresAt);
            }
        }
        foreach (var s in snapshot.SessionStates)
        {
            if (receivables.TryGetValue(s.EntityPath, out var entity))
            {
                entity.SessionStates[s.SessionId] = s.State;
                entity.Size.Add(s.State.Length);
            }
        }
        foreach (var topic in topics.Values)
        {
            foreach (var m in topic.Scheduled.Values) NoteScheduled(topic, WithPayload(m));
        }

        var now = Now();
        foreach (var entity in receivables.Values)
        {
            foreach (var m in entity.Messages.Values)
            {
                if (m.State == ServiceBusMessageState.Scheduled) NoteScheduled(entity, WithPayload(m)); // scheduled messages keep their payloads
                else if (m.State == ServiceBusMessageState.Active) NoteExpiry(entity, m);
            }
            foreach (var deadLetter in new[] { false, true })
            {
                foreach (var m in CollectionOf(entity, deadLetter).Values.Where(m => m.LockToken is not null).ToList())
                {
                    var inSession = entity.Properties.RequiresSession && !deadLetter;
                    ReleaseLock(entity, deadLetter, m, countsAsFailedDelivery: !inSession, now);
                }
            }
        }
        Maintain(now);
        return Commit();
    }

    /// <summary>Remembers what an operation touched; at the end of the operation each touched key is taken as it now
    /// is (a snapshot of the message, or "gone"), so operations never build store records by hand.</summary>
    private sealed class ChangeTracker(LocalServiceBus bus)
    {
        private readonly HashSet<(string, long)> messages = [];
        private readonly HashSet<string> sequences = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<(string, string)> duplicates = [];
        private readonly HashSet<(string, string)> sessionStates = [];

        public void Message(string storagePath, long sequenceNumber) => messages.Add((storagePath, sequenceNumber));
        public void Sequence(EntityRuntime entity) => sequences.Add(entity.Path);
        public void Duplicate(EntityRuntime entity, string messageId) => duplicates.Add((entity.Path, messageId));
        public void SessionState(MessageEntity entity, string sessionId) => sessionStates.Add((entity.Path, sessionId));

        public PendingChanges Drain()
        {
            var set = new PendingChanges();
            foreach (var (path, seq) in messages)
            {
                var collection = bus.StorageCollection(path);
                if (collection is null || !collection.TryGetValue(seq, out var m))
                {
                    set.Messages.Add((path, seq, null, false));
                    continue;
                }
                // A write carries the whole document: a message changed while its payload is evicted (nothing does that
                // today: every change loads it first) reads it back rather than lose its properties. The body goes with
                // the first write at a place only.
                var withBody = !string.Equals(m.BodyStoredAt, path, StringComparison.OrdinalIgnoreCase);
                m.BodyStoredAt = path;
                set.Messages.Add((path, seq, bus.WithPayload(m).Clone(), withBody));
            }
            foreach (var path in sequences)
            {
                if (bus.SequenceOwner(path) is { } owner) set.Sequences.Add((owner.Path, owner.LastSequence));
            }
            foreach (var (path, id) in duplicates)
            {
                set.Duplicates.Add((path, id, bus.SequenceOwner(path) is { Duplicates: { } history } && history.TryGetValue(id, out var entry)
                    ? new StoredDuplicate(path, id, entry.ExpiresAt, entry.SequenceNumber)
                    : null));
            }
            foreach (var (path, id) in sessionStates)
            {
                set.SessionStates.Add((path, id, bus.receivables.TryGetValue(path, out var entity) && entity.SessionStates.TryGetValue(id, out var state)
                    ? state.ToArray()
                    : null));
            }
            messages.Clear();
            sequences.Clear();
            duplicates.Clear();
            sessionStates.Clear();
            return set;
        }
    }
}
