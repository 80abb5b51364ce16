namespace ServiceBus.Local.Persistence;

/// <summary>
/// Keeps the committed state in this object: a broker re-created on the same instance (a "restart" within one
/// process) finds everything again. Nothing touches the disk.
/// </summary>
public sealed class InMemoryMessageStore : IMessageStore
{
    private readonly object gate = new();
    private readonly Dictionary<(string, long), StoredMessage> messages = new(KeyComparer.Instance);
    private readonly Dictionary<string, long> sequences = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string, string), StoredDuplicate> duplicates = new(KeyComparer.Instance);
    private readonly Dictionary<(string, string), StoredSessionState> sessionStates = new(KeyComparer.Instance);

    public StoreSnapshot Load()
    {
        lock (gate)
        {
            var snapshot = new StoreSnapshot();
            snapshot.Messages.AddRange(messages.Values);
            foreach (var (k, v) in sequences) snapshot.Sequences[k] = v;
            snapshot.Duplicates.AddRange(duplicates.Values);
            snapshot.SessionStates.AddRange(sessionStates.Values.Select(s => s with { State = s.State.ToArray() }));
            return snapshot;
        }
    }

    public void Commit(StoreChangeSet changes)
    {
        lock (gate)
        {
            foreach (var key in changes.DeleteMessages) messages.Remove(key);
            foreach (var m in changes.UpsertMessages)
            {
                var key = (m.StoragePath, m.SequenceNumber);
                messages[key] = m.Body is null && messages.TryGetValue(key, out var existing) ? m with { Body = existing.Body } : m;
            }
            foreach (var (k, v) in changes.Sequences) sequences[k] = v;
            foreach (var key in changes.DeleteDuplicates) duplicates.Remove(key);
            foreach (var d in changes.UpsertDuplicates) duplicates[(d.EntityPath, d.MessageId)] = d;
            foreach (var key in changes.DeleteSessionStates) sessionStates.Remove(key);
            foreach (var s in changes.UpsertSessionStates) sessionStates[(s.EntityPath, s.SessionId)] = s with { State = s.State.ToArray() };
        }
    }

    public StoredMessage? ReadMessage(string storagePath, long sequenceNumber)
    {
        lock (gate) return messages.TryGetValue((storagePath, sequenceNumber), out var m) ? m : null;
    }

    public void Dispose() { }

    /// <summary>Entity paths compare case-insensitively; message ids and session ids exactly.</summary>
    private sealed class KeyComparer : IEqualityComparer<(string, long)>, IEqualityComparer<(string, string)>
    {
        public static readonly KeyComparer Instance = new();
        public bool Equals((string, long) x, (string, long) y) => StringComparer.OrdinalIgnoreCase.Equals(x.Item1, y.Item1) && x.Item2 == y.Item2;
        public int GetHashCode((string, long) obj) => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Item1), obj.Item2);
        public bool Equals((string, string) x, (string, string) y) => StringComparer.OrdinalIgnoreCase.Equals(x.Item1, y.Item1) && x.Item2 == y.Item2;
        public int GetHashCode((string, string) obj) => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Item1), obj.Item2);
    }
}
