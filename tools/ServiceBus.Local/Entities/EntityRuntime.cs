using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Entities;

/// <summary>What queues, topics and subscriptions share at run time: a path, a sequence counter and (for queues
/// and topics) the duplicate-detection history.</summary>
internal abstract class EntityRuntime(string path)
{
    public string Path { get; } = path;
    public long LastSequence { get; set; }
    public Dictionary<string, (DateTimeOffset ExpiresAt, long SequenceNumber)>? Duplicates { get; init; }
    public TimeSpan DuplicateWindow { get; init; }
    public int MaxMessageSizeInKilobytes { get; init; } = 256;
    public TimeSpan DefaultMessageTimeToLive { get; init; } = TimeSpan.MaxValue;

    /// <summary>The size quota this entity's messages count toward: a queue's own, a topic's, or (for a subscription)
    /// its topic's.</summary>
    public abstract EntitySize Size { get; }
}

/// <summary>A topic: no messages of its own except scheduled ones waiting to be fanned out.</summary>
internal sealed class TopicRuntime : EntityRuntime
{
    public TopicRuntime(TopicDefinition definition) : base(definition.Name)
    {
        Definition = definition;
        Size = new EntitySize(definition.Name, isTopic: true, definition.Properties.MaxSizeInBytes);
        Scheduled = new MessageSet(indexSessions: false, Size);
    }

    public TopicDefinition Definition { get; }
    public List<MessageEntity> Subscriptions { get; } = [];
    public override EntitySize Size { get; }
    public MessageSet Scheduled { get; }
}

/// <summary>An entity that holds messages for receivers: a queue or a subscription, with its dead-letter sub-queue,
/// its session locks and session states.</summary>
internal sealed class MessageEntity(string path, ReceivableEntityProperties properties, EntitySize size) : EntityRuntime(path)
{
    public override EntitySize Size { get; } = size;
    public ReceivableEntityProperties Properties { get; } = properties;
    public TopicRuntime? Topic { get; init; }
    public SubscriptionDefinition? Subscription { get; init; }
    public string DeadLetterPath => EntityPath.FormatDeadLetterPath(Path);

    /// <summary>Active, deferred and (queues only) scheduled messages, by sequence number.</summary>
    public MessageSet Messages { get; } = new(indexSessions: properties.RequiresSession, size);
    public MessageSet DeadLetters { get; } = new(indexSessions: false, size);
    /// <summary>The waiting messages that expire in their sequence order (dead letters have no time to live).</summary>
    public ExpiryOrder Expiries { get; } = new();
    public Dictionary<string, SessionLock> SessionLocks { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, byte[]> SessionStates { get; } = new(StringComparer.Ordinal);

    /// <summary>Completed when something may have become receivable here (or in its dead-letter sub-queue); null while
    /// no receiver waits, so a send with nobody waiting allocates nothing. Read and replaced under the broker's lock.</summary>
    public TaskCompletionSource? Waiters { get; set; }

    /// <summary>Session acceptors waiting here, first come first woken. Any of them can take any available session, so
    /// a change wakes one, and an acceptor that takes a session wakes the next (another session may be available too):
    /// waking them all made dozens look, and all but one go back to sleep, on every arrival. Under the broker's lock.</summary>
    public LinkedList<TaskCompletionSource> Acceptors { get; } = new();
}

internal sealed class SessionLock(Guid token, DateTimeOffset lockedUntil)
{
    public Guid Token { get; } = token;
    public DateTimeOffset LockedUntil { get; set; } = lockedUntil;
}

/// <summary>Where a lock token points: the message's entity, sub-queue and sequence number.</summary>
internal sealed record LockEntry(MessageEntity Entity, bool DeadLetter, long SequenceNumber, Guid? SessionLockToken);

/// <summary>Message counts of one entity, for operators and tests.</summary>
public sealed record EntityMessageCounts(long Active, long Deferred, long Scheduled, long DeadLetter);
