using ServiceBus.Local.Errors;

namespace ServiceBus.Local.Entities;

/// <summary>
/// How much a queue or topic holds, against its size quota (<see cref="EntitySizeQuota"/>), kept as messages come and
/// go: every <see cref="MessageSet"/> of the entity adds a message's size when it is put in and takes it off when it
/// is removed, so the size is known without looking at a single message. What counts (sources in
/// docs/runtime/service-bus.md, "Entity size quota"): a queue's active, locked, deferred, scheduled and dead-lettered
/// messages; for a topic, each subscription's copy of a message (active, locked, deferred, dead-lettered) and the
/// topic's scheduled messages; session states of either. Under the broker's lock.
/// </summary>
internal sealed class EntitySize(string path, bool isTopic, long maxBytes)
{
    public string Path { get; } = path;
    public long MaxBytes { get; } = maxBytes;
    public long Bytes { get; private set; }

    /// <summary>"The maximum entity size has been reached or exceeded": Azure refuses a send to an entity that holds its
    /// quota or more, and accepts one that finds room even when it takes the entity past it (its error reports sizes
    /// above the maximum).</summary>
    public bool IsFull => Bytes >= MaxBytes;

    public void Add(long bytes) => Bytes += bytes;

    public void Remove(long bytes) => Bytes -= bytes;

    /// <summary>The service's text (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-exceptions-latest,
    /// "Reason: QuotaExceeded"), naming the entity, its size and its maximum.</summary>
    public ServiceBusException Exceeded() => new(ServiceBusFailureReason.QuotaExceeded,
        $"The maximum entity size has been reached or exceeded for {(isTopic ? "Topic" : "Queue")}: '{Path}'. " +
        $"Size of entity in bytes:{Bytes}, Max entity size in bytes:{MaxBytes}.", Path);
}
