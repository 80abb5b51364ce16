namespace ServiceBus.Local.Persistence;

/// <summary>
/// Where the broker keeps its state between runs. The broker works on its in-memory view and hands every
/// operation's changes to <see cref="Commit"/> as one unit; <see cref="Load"/> gives them back after a restart.
/// </summary>
public interface IMessageStore : IDisposable
{
    StoreSnapshot Load();

    void Commit(StoreChangeSet changes);
}

/// <summary>One message in one place. <paramref name="StoragePath"/> is an entity path, a dead-letter path
/// (<c>…/$DeadLetterQueue</c>) or a topic path (its scheduled messages); <paramref name="Document"/> is opaque JSON.</summary>
public sealed record StoredMessage(string StoragePath, long SequenceNumber, string Document);

public sealed record StoredDuplicate(string EntityPath, string MessageId, DateTimeOffset ExpiresAt, long SequenceNumber);

public sealed record StoredSessionState(string EntityPath, string SessionId, byte[] State);

public sealed class StoreSnapshot
{
    public List<StoredMessage> Messages { get; } = [];
    /// <summary>The last sequence number handed out, per entity path.</summary>
    public Dictionary<string, long> Sequences { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<StoredDuplicate> Duplicates { get; } = [];
    public List<StoredSessionState> SessionStates { get; } = [];
}

public sealed class StoreChangeSet
{
    public List<StoredMessage> UpsertMessages { get; } = [];
    public List<(string StoragePath, long SequenceNumber)> DeleteMessages { get; } = [];
    public Dictionary<string, long> Sequences { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<StoredDuplicate> UpsertDuplicates { get; } = [];
    public List<(string EntityPath, string MessageId)> DeleteDuplicates { get; } = [];
    public List<StoredSessionState> UpsertSessionStates { get; } = [];
    public List<(string EntityPath, string SessionId)> DeleteSessionStates { get; } = [];

    public bool IsEmpty => UpsertMessages.Count == 0 && DeleteMessages.Count == 0 && Sequences.Count == 0
        && UpsertDuplicates.Count == 0 && DeleteDuplicates.Count == 0 && UpsertSessionStates.Count == 0 && DeleteSessionStates.Count == 0;
}
