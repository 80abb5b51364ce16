using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local;

public sealed partial class LocalServiceBus
{
    /// <summary>Maps a storage path (entity, dead-letter path, or topic for its scheduled messages) to its messages.</summary>
    private SortedDictionary<long, BrokerMessage>? StorageCollection(string storagePath)
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
    /// </summary>
    private void Restore()
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
            collection[stored.SequenceNumber] = MessageDocument.Read(stored.Document);
        }
        foreach (var d in snapshot.Duplicates)
        {
            if (SequenceOwner(d.EntityPath) is { Duplicates: { } history }) history[d.MessageId] = (d.ExpiresAt, d.SequenceNumber);
        }
        foreach (var s in snapshot.SessionStates)
        {
            if (receivables.TryGetValue(s.EntityPath, out var entity)) entity.SessionStates[s.SessionId] = s.State;
        }

        var now = Now();
        foreach (var entity in receivables.Values)
        {
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
        Commit();
    }

    /// <summary>Remembers what an operation touched; at commit, each touched key is written as it now is
    /// (or deleted if it no longer exists), so operations never build store records by hand.</summary>
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

        public StoreChangeSet Drain()
        {
            var set = new StoreChangeSet();
            foreach (var (path, seq) in messages)
            {
                var collection = bus.StorageCollection(path);
                if (collection is not null && collection.TryGetValue(seq, out var m))
                    set.UpsertMessages.Add(new StoredMessage(path, seq, MessageDocument.Write(m)));
                else
                    set.DeleteMessages.Add((path, seq));
            }
            foreach (var path in sequences)
            {
                if (bus.SequenceOwner(path) is { } owner) set.Sequences[owner.Path] = owner.LastSequence;
            }
            foreach (var (path, id) in duplicates)
            {
                if (bus.SequenceOwner(path) is { Duplicates: { } history } && history.TryGetValue(id, out var entry))
                    set.UpsertDuplicates.Add(new StoredDuplicate(path, id, entry.ExpiresAt, entry.SequenceNumber));
                else
                    set.DeleteDuplicates.Add((path, id));
            }
            foreach (var (path, id) in sessionStates)
            {
                if (bus.receivables.TryGetValue(path, out var entity) && entity.SessionStates.TryGetValue(id, out var state))
                    set.UpsertSessionStates.Add(new StoredSessionState(path, id, state.ToArray()));
                else
                    set.DeleteSessionStates.Add((path, id));
            }
            messages.Clear();
            sequences.Clear();
            duplicates.Clear();
            sessionStates.Clear();
            return set;
        }
    }
}
