using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local;

/// <summary>
/// A local broker with Azure Service Bus semantics for one namespace. Thread-safe: every operation runs under one
/// lock on the in-memory state and hands its changes to a writer that commits them to the <see cref="IMessageStore"/>
/// in batches, outside that lock (group commit); an operation is acknowledged (its task completes) only once its
/// changes are durable. Time comes from the injected <see cref="TimeProvider"/>; expiries (locks, TTL, scheduled
/// messages) are taken from a due-time index lazily on every operation, so no background thread is needed for
/// correctness (<see cref="RunMaintenanceAsync"/> is an optional pump).
/// </summary>
public sealed partial class LocalServiceBus : IDisposable
{
    private readonly object gate = new();
    private readonly TimeProvider clock;
    private readonly IMessageStore store;
    private readonly bool ownsStore;
    private readonly Dictionary<string, MessageEntity> receivables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, MessageEntity> queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TopicRuntime> topics = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, LockEntry> locks = [];
    private readonly ChangeTracker changes;
    private readonly GroupCommitWriter writer;
    private bool disposed;

    private LocalServiceBus(Topology topology, TimeProvider clock, IMessageStore store, bool ownsStore, int payloadsInMemoryPerEntity)
    {
        Topology = topology;
        this.clock = clock;
        this.store = store;
        this.ownsStore = ownsStore;
        PayloadsInMemoryPerEntity = payloadsInMemoryPerEntity;
        changes = new ChangeTracker(this);
        writer = new GroupCommitWriter(store);

        foreach (var q in topology.Queues)
        {
            var entity = new MessageEntity(q.Name, q.Properties, new EntitySize(q.Name, isTopic: false, q.Properties.MaxSizeInBytes))
            {
                Duplicates = q.Properties.RequiresDuplicateDetection ? new(StringComparer.Ordinal) : null,
                DuplicateWindow = q.Properties.DuplicateDetectionHistoryTimeWindow,
                MaxMessageSizeInKilobytes = q.Properties.MaxMessageSizeInKilobytes,
                DefaultMessageTimeToLive = q.Properties.DefaultMessageTimeToLive,
            };
            queues[q.Name] = entity;
            receivables[q.Name] = entity;
        }
        foreach (var t in topology.Topics)
        {
            var topic = new TopicRuntime(t)
            {
                Duplicates = t.Properties.RequiresDuplicateDetection ? new(StringComparer.Ordinal) : null,
                DuplicateWindow = t.Properties.DuplicateDetectionHistoryTimeWindow,
                MaxMessageSizeInKilobytes = t.Properties.MaxMessageSizeInKilobytes,
                DefaultMessageTimeToLive = t.Properties.DefaultMessageTimeToLive,
            };
            topics[t.Name] = topic;
            foreach (var s in t.Subscriptions)
            {
                var path = EntityPath.FormatSubscriptionPath(t.Name, s.Name);
                var entity = new MessageEntity(path, s.Properties, topic.Size)
                {
                    Topic = topic,
                    Subscription = s,
                    DefaultMessageTimeToLive = s.Properties.DefaultMessageTimeToLive,
                };
                topic.Subscriptions.Add(entity);
                receivables[path] = entity;
            }
        }
        Restore();
        lock (gate) ArmDuePump();
    }

    /// <summary>Creates a broker for <paramref name="topology"/> (validated first). Without a store, state lives in
    /// this instance only; pass a <see cref="SqliteMessageStore"/> for a broker that survives restarts.
    /// <paramref name="payloadsInMemoryPerEntity"/>: see <see cref="PayloadsInMemoryPerEntity"/>.</summary>
    public static LocalServiceBus Create(Topology topology, TimeProvider? clock = null, IMessageStore? store = null,
        int payloadsInMemoryPerEntity = DefaultPayloadsInMemoryPerEntity)
    {
        topology.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(payloadsInMemoryPerEntity);
        return new LocalServiceBus(topology, clock ?? TimeProvider.System, store ?? new InMemoryMessageStore(), ownsStore: store is null, payloadsInMemoryPerEntity);
    }

    public Topology Topology { get; }

    /// <summary>All queue and subscription paths, for operators.</summary>
    public IReadOnlyList<string> ReceivableEntityPaths => receivables.Keys.ToList();

    // ---- Sending ------------------------------------------------------------------------------------------------

    public Task SendAsync(string entityName, ServiceBusMessage message, CancellationToken cancellationToken = default) =>
        SendAsync(entityName, [message], cancellationToken);

    /// <summary>Sends a batch: every message is checked first, then all are accepted together.</summary>
    public Task SendAsync(string entityName, IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = messages.ToList();
        lock (gate)
        {
            var target = ResolveSendTarget(entityName);
            var accepted = batch.Select(m => Validate(target, m)).ToList();
            var now = Now();
            Maintain(now);
            RefuseWhenFull(target);
            foreach (var message in accepted) Accept(target, message, now);
            return Commit();
        }
    }

    /// <summary>Schedules a message for <paramref name="scheduledEnqueueTime"/>; the returned sequence number cancels it.</summary>
    public Task<long> ScheduleAsync(string entityName, ServiceBusMessage message, DateTimeOffset scheduledEnqueueTime, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var target = ResolveSendTarget(entityName);
            var m = Validate(target, message);
            m.ScheduledEnqueueTime = scheduledEnqueueTime;
            var now = Now();
            Maintain(now);
            RefuseWhenFull(target);
            var sequence = Accept(target, m, now);
            return After(Commit(), sequence);
        }
    }

    public Task CancelScheduledAsync(string entityName, long sequenceNumber, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var target = ResolveSendTarget(entityName);
            Maintain(Now());
            var scheduled = target is TopicRuntime topic ? topic.Scheduled : ((MessageEntity)target).Messages;
            if (!scheduled.TryGetValue(sequenceNumber, out var m) || m.State != ServiceBusMessageState.Scheduled)
            {
                throw new ServiceBusException(ServiceBusFailureReason.MessageNotFound,
                    $"No scheduled message with sequence number {sequenceNumber} was found.", target.Path);
            }
            scheduled.Remove(sequenceNumber);
            changes.Message(StoragePathOf(target), sequenceNumber);
            return Commit();
        }
    }

    // ---- Receiving ----------------------------------------------------------------------------------------------

    /// <summary>A receiver for a queue, a subscription (<c>topic/Subscriptions/name</c>) or either's
    /// <c>/$DeadLetterQueue</c>. Session-enabled entities need <see cref="AcceptNextSessionAsync"/> instead.</summary>
    public ServiceBusReceiver CreateReceiver(string entityPath, ReceiveMode receiveMode = ReceiveMode.PeekLock)
    {
        lock (gate)
        {
            var (entity, deadLetter) = ResolveReceivable(entityPath);
            if (entity.Properties.RequiresSession && !deadLetter)
            {
                throw new InvalidOperationException(
                    $"'{entity.Path}' requires sessions: accept a session (AcceptNextSessionAsync / AcceptSessionAsync) to receive from it.");
            }
            return new ServiceBusReceiver(this, entity, deadLetter, receiveMode);
        }
    }

    /// <summary>Browses messages without locking them: active, locked, deferred and scheduled ones, in sequence order.</summary>
    public Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(string entityPath, int maxMessages = 1, long? fromSequenceNumber = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var (entity, deadLetter) = ResolveReceivable(entityPath);
            return PeekLocked(entity, deadLetter, maxMessages, fromSequenceNumber, sessionId: null);
        }
    }

    public EntityMessageCounts GetMessageCounts(string entityPath)
    {
        lock (gate)
        {
            var (entity, _) = ResolveReceivable(entityPath);
            Maintain(Now());
            _ = Commit(); // what fell due is written in the background: counts acknowledge nothing
            var values = entity.Messages.Values;
            return new EntityMessageCounts(
                values.LongCount(m => m.State == ServiceBusMessageState.Active),
                values.LongCount(m => m.State == ServiceBusMessageState.Deferred),
                values.LongCount(m => m.State == ServiceBusMessageState.Scheduled),
                entity.DeadLetters.Count);
        }
    }

    /// <summary>How full a queue or topic is: what it holds toward its size quota and the quota, in bytes (in Azure,
    /// the entity's <c>SizeInBytes</c> and <c>MaxSizeInMegabytes</c>). For operators and specs.</summary>
    public EntitySizeFigures GetEntitySize(string entityName)
    {
        lock (gate)
        {
            var target = ResolveSendTarget(entityName);
            Maintain(Now());
            _ = Commit(); // what fell due is written in the background: a size acknowledges nothing
            return new EntitySizeFigures(target.Size.Bytes, target.Size.MaxBytes);
        }
    }

    /// <summary>What this broker holds in memory (for operators and the memory specs): messages of every entity and
    /// sub-queue, how many of them have their payload (body, application and system properties) in memory, and entries
    /// in the due-time index, and how many payloads were read back from the store so far.</summary>
    public BrokerMemoryFigures GetMemoryFigures()
    {
        lock (gate)
        {
            long messages = 0, payloads = 0;
            foreach (var m in AllMessagesInMemory())
            {
                messages++;
                if (m.HasPayloadInMemory) payloads++;
            }
            long expiries = receivables.Values.Sum(entity => (long)entity.Expiries.Count);
            return new BrokerMemoryFigures(messages, payloads, DueEntryCount, payloadReadBacks, expiries);
        }
    }

    /// <summary>What the writer has committed to the store so far (for the broker benchmark and the docs).</summary>
    public BrokerStoreFigures GetStoreFigures() => writer.Figures;

    private IEnumerable<BrokerMessage> AllMessagesInMemory()
    {
        foreach (var topic in topics.Values) foreach (var m in topic.Scheduled.Values) yield return m;
        foreach (var entity in receivables.Values)
        {
            foreach (var m in entity.Messages.Values) yield return m;
            foreach (var m in entity.DeadLetters.Values) yield return m;
        }
    }

    // ---- Time -----------------------------------------------------------------------------------------------------

    /// <summary>Applies everything that has fallen due (scheduled messages, lock expiries, TTL). Every operation
    /// does this itself; a host may call it to make time-driven moves visible without traffic.</summary>
    public void ProcessDueWork()
    {
        Task durable;
        lock (gate)
        {
            Maintain(Now());
            durable = Commit();
        }
        durable.GetAwaiter().GetResult();
    }

    /// <summary>Optional pump for a host: <see cref="ProcessDueWork"/> every <paramref name="interval"/>.</summary>
    public async Task RunMaintenanceAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ProcessDueWork();
            try
            {
                await Task.Delay(interval, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops: waits for the writer to commit what was handed to it, then closes an owned store.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            foreach (var entity in receivables.Values)
            {
                entity.Waiters?.TrySetResult();
                while (entity.Acceptors.Count > 0) WakeOneAcceptor(entity);
            }
        }
        duePump?.Dispose();
        writer.Dispose();
        if (ownsStore) store.Dispose();
    }

    // ---- Shared internals -----------------------------------------------------------------------------------------

    internal DateTimeOffset Now() => clock.GetUtcNow();

    internal object Gate => gate;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the receivers waiting on <paramref name="entity"/> (its messages or its dead-letter sub-queue); they
    /// look again and go back to sleep if nothing is for them. Receivers of other entities sleep on.</summary>
    private void Pulse(MessageEntity entity)
    {
        WakeOneAcceptor(entity);
        if (entity.Waiters is not { } waiting) return;
        entity.Waiters = null;
        wakeUps++;
        waiting.TrySetResult();
    }

    /// <summary>Wakes the session acceptor that has waited longest on <paramref name="entity"/>, if any (under the lock).</summary>
    private void WakeOneAcceptor(MessageEntity entity)
    {
        if (entity.Acceptors.First is not { } first) return;
        entity.Acceptors.RemoveFirst();
        acceptorWakeUps++;
        first.Value.TrySetResult();
    }

    private long acceptorWakeUps;

    /// <summary>How many times a waiting session acceptor was woken to look again; for specs and benchmarks.</summary>
    internal long AcceptorWakeUps
    {
        get { lock (gate) return acceptorWakeUps; }
    }

    /// <summary>Session acceptors waiting on <paramref name="entityPath"/> now; for specs.</summary>
    internal int WaitingAcceptors(string entityPath)
    {
        lock (gate) return ResolveSessionEntity(entityPath).Acceptors.Count;
    }

    private long wakeUps;

    /// <summary>How many times waiting receivers were woken to look again (each wake-up of an entity's waiters counts
    /// once); for specs and benchmarks.</summary>
    internal long WakeUps
    {
        get { lock (gate) return wakeUps; }
    }

    /// <summary>What a receiver of <paramref name="entity"/> waits on (under the lock).</summary>
    private static Task ArrivalAt(MessageEntity entity) => (entity.Waiters ??= NewSignal()).Task;

    /// <summary>Hands the operation's changes to the writer (under the lock, so in the order they happened); the task
    /// completes once they are durable. Callers return or await it outside the lock.</summary>
    private Task Commit()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArmDuePump();
        return writer.HandOver(changes.Drain());
    }

    /// <summary><paramref name="value"/> once <paramref name="durable"/> completes (an operation's answer, acknowledged
    /// only when what it changed is durable).</summary>
    private static async Task<T> After<T>(Task durable, T value)
    {
        await durable.ConfigureAwait(false);
        return value;
    }

    private EntityRuntime ResolveSendTarget(string entityName)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var name = entityName.Trim().Trim('/');
        if (queues.TryGetValue(name, out var queue)) return queue;
        if (topics.TryGetValue(name, out var topic)) return topic;
        if (receivables.ContainsKey(EntityPath.Split(name).EntityPath))
            throw new ServiceBusException(ServiceBusFailureReason.MessagingEntityNotFound, "Messages can only be sent to a queue or a topic.", entityName);
        throw ServiceBusException.EntityNotFound(entityName);
    }

    private (MessageEntity Entity, bool DeadLetter) ResolveReceivable(string entityPath)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var (path, deadLetter) = EntityPath.Split(entityPath);
        if (receivables.TryGetValue(path, out var entity)) return (entity, deadLetter);
        if (topics.ContainsKey(path))
        {
            throw new ServiceBusException(ServiceBusFailureReason.MessagingEntityNotFound,
                $"'{path}' is a topic; receive from one of its subscriptions ('{path}/Subscriptions/<name>').", entityPath);
        }
        throw ServiceBusException.EntityNotFound(entityPath);
    }

    private static string StoragePathOf(EntityRuntime entity) => entity.Path;

    private static MessageSet CollectionOf(MessageEntity entity, bool deadLetter) =>
        deadLetter ? entity.DeadLetters : entity.Messages;

    private static string PathOf(MessageEntity entity, bool deadLetter) => deadLetter ? entity.DeadLetterPath : entity.Path;
}

/// <summary>See <see cref="LocalServiceBus.GetStoreFigures"/>: transactions, operations acknowledged by them, message
/// documents written (of which with their body) and messages deleted.</summary>
public sealed record BrokerStoreFigures(long Commits, long Operations, long Documents, long Bodies, long Deletes);

/// <summary>See <see cref="LocalServiceBus.GetEntitySize"/>.</summary>
public sealed record EntitySizeFigures(long SizeInBytes, long MaxSizeInBytes);

/// <summary>See <see cref="LocalServiceBus.GetMemoryFigures"/>.</summary>
public sealed record BrokerMemoryFigures(long MessagesInMemory, long PayloadsInMemory, long DueEntries, long PayloadReadBacks = 0, long ExpiryOrderEntries = 0)
{
    public override string ToString() => $"{MessagesInMemory} messages in memory, {PayloadsInMemory} with their payload (body, properties), {DueEntries} due-time entries, {ExpiryOrderEntries} in expiry orders, {PayloadReadBacks} payloads read back from the store so far";
}
