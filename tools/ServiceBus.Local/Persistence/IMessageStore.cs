namespace ServiceBus.Local.Persistence;

/// <summary>
/// Where the broker keeps its state between runs. The broker works on its in-memory view; a writer thread hands the
/// changes of a batch of operations to <see cref="Commit"/> as one unit (one transaction), and each operation is
/// acknowledged once its batch is committed; <see cref="Load"/> gives them back after a restart. Message bodies are kept
/// beside the documents; a message is read back whole, one at a time, with <see cref="ReadMessage"/> (the broker keeps
/// only a window of message payloads in memory). Called from the broker's writer thread and, for
/// <see cref="ReadMessage"/>, from operations: thread-safe.
/// </summary>
public interface IMessageStore : IDisposable
{
    /// <summary>Everything but the bodies of messages whose body is stored apart (those come back with a null
    /// <see cref="StoredMessage.Body"/> and are read with <see cref="ReadMessage"/> when needed).</summary>
    StoreSnapshot Load();

    void Commit(StoreChangeSet changes);

    /// <summary>A committed message with its document and body, or null if there is no such message. The body is null
    /// only for a document written before bodies moved beside documents (it carries the body itself).</summary>
    StoredMessage? ReadMessage(string storagePath, long sequenceNumber);
}

/// <summary>One message in one place. <paramref name="StoragePath"/> is an entity path, a dead-letter path
/// (<c>…/$DeadLetterQueue</c>) or a topic path (its scheduled messages); <paramref name="Document"/> is opaque JSON
/// (UTF-8) without the body; <paramref name="Body"/> is the payload, or null in a change to keep the stored one (the
/// message's state changed, not its body).</summary>
public sealed record StoredMessage(string StoragePath, long SequenceNumber, byte[] Document, byte[]? Body = null);

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
