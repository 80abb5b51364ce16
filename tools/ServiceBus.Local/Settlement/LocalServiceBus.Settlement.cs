using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>
/// Peek-lock and settlement (https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement, service-bus-dead-letter-queues, message-deferral): a received message is locked for the entity's
/// LockDuration; Complete removes it, Abandon and lock expiry return it (delivery count + 1, dead-lettered with
/// MaxDeliveryCountExceeded once the count reaches MaxDeliveryCount), Defer sets it aside for receive-by-sequence-
/// number, DeadLetter moves it to the dead-letter sub-queue. Settling with an unknown or expired lock token fails
/// with MessageLockLost.
/// </summary>
public sealed partial class LocalServiceBus
{
    /// <summary>Takes up to <paramref name="max"/> available messages; waits up to <paramref name="maxWait"/> for the first.</summary>
    internal async Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAsync(
        MessageEntity entity, bool deadLetter, ReceiveMode mode, int max, TimeSpan? maxWait, SessionHandle? session, CancellationToken ct)
    {
        if (max < 1) throw new ArgumentOutOfRangeException(nameof(max), "Receive at least one message.");
        var deadline = Deadline(maxWait);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            Task wake = Task.CompletedTask;
            TimeSpan wait = TimeSpan.Zero;
            List<ServiceBusReceivedMessage> taken;
            Task durable;
            bool timedOut;
            lock (gate)
            {
                var now = Now();
                Maintain(now);
                if (session is not null) CheckSession(entity, session, now);
                taken = TakeAvailable(entity, deadLetter, mode, max, session, now);
                durable = Commit();
                timedOut = now >= deadline;
                if (taken.Count == 0 && !timedOut)
                {
                    wake = ArrivalAt(entity);
                    wait = deadline - now;
                }
            }
            if (taken.Count > 0)
            {
                await durable.ConfigureAwait(false);
                return taken;
            }
            if (timedOut) return taken;
            await WaitAsync(wake, wait, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Now + the wait (default 60 s, like the SDK's try timeout), saturating for very long waits.</summary>
    private DateTimeOffset Deadline(TimeSpan? maxWait)
    {
        var now = Now();
        var wait = maxWait ?? TimeSpan.FromMinutes(1);
        if (wait < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxWait), "The wait time cannot be negative.");
        return wait >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + wait;
    }

    private async Task WaitAsync(Task wake, TimeSpan wait, CancellationToken ct)
    {
        if (wait <= TimeSpan.Zero) return;
        if (wait > TimeSpan.FromHours(1)) wait = TimeSpan.FromHours(1); // Task.Delay's range is limited; loop instead
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(wait, clock, cancelDelay.Token);
        await Task.WhenAny(wake, delay).ConfigureAwait(false);
        cancelDelay.Cancel();
        ct.ThrowIfCancellationRequested();
    }

    private List<ServiceBusReceivedMessage> TakeAvailable(MessageEntity entity, bool deadLetter, ReceiveMode mode, int max, SessionHandle? session, DateTimeOffset now)
    {
        var collection = CollectionOf(entity, deadLetter);
        var path = PathOf(entity, deadLetter);
        // Only the messages taken are collected (a session's from its index): locked and deferred ones at the head are
        // stepped over, the rest of the backlog is not looked at.
        IEnumerable<BrokerMessage> candidates = session is not null ? collection.InSession(session.SessionId) : collection.Values;
        var available = candidates.Where(m => m.State == ServiceBusMessageState.Active && m.LockToken is null).Take(max).ToList();
        var taken = new List<ServiceBusReceivedMessage>(available.Count);
        foreach (var m in available)
        {
            WithPayload(m);
            if (mode == ReceiveMode.ReceiveAndDelete)
            {
                collection.Remove(m.SequenceNumber);
                changes.Message(path, m.SequenceNumber);
                taken.Add(m.ToReceived(path, withLock: false));
                continue;
            }
            Lock(entity, deadLetter, m, session, now);
            taken.Add(m.ToReceived(path, withLock: true));
        }
        return taken;
    }

    private void Lock(MessageEntity entity, bool deadLetter, BrokerMessage m, SessionHandle? session, DateTimeOffset now)
    {
        var token = Guid.NewGuid();
        // In a session the session lock covers the message locks (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions).
        m.Lock(token, session is not null ? entity.SessionLocks[session.SessionId].LockedUntil : now + entity.Properties.LockDuration);
        locks[token] = new LockEntry(entity, deadLetter, m.SequenceNumber, session?.LockToken);
        NoteLock(entity, deadLetter, m);
        changes.Message(PathOf(entity, deadLetter), m.SequenceNumber);
    }

    internal Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveDeferred(MessageEntity entity, bool deadLetter, ReceiveMode mode, IEnumerable<long> sequenceNumbers, SessionHandle? session)
    {
        lock (gate)
        {
            var now = Now();
            Maintain(now);
            if (session is not null) CheckSession(entity, session, now);
            var collection = CollectionOf(entity, deadLetter);
            var path = PathOf(entity, deadLetter);
            var wanted = sequenceNumbers.ToList();
            var found = new List<BrokerMessage>();
            foreach (var sequence in wanted)
            {
                if (!collection.TryGetValue(sequence, out var m) || m.State != ServiceBusMessageState.Deferred || m.LockToken is not null
                    || (session is not null && !string.Equals(m.SessionId, session.SessionId, StringComparison.Ordinal)))
                {
                    throw new ServiceBusException(ServiceBusFailureReason.MessageNotFound,
                        $"Failed to retrieve the deferred message with sequence number {sequence}: it is not a deferred message of this receiver.", path);
                }
                found.Add(m);
            }
            var result = new List<ServiceBusReceivedMessage>();
            foreach (var m in found)
            {
                WithPayload(m);
                if (mode == ReceiveMode.ReceiveAndDelete)
                {
                    collection.Remove(m.SequenceNumber);
                    changes.Message(path, m.SequenceNumber);
                    result.Add(m.ToReceived(path, withLock: false));
                }
                else
                {
                    Lock(entity, deadLetter, m, session, now);
                    result.Add(m.ToReceived(path, withLock: true));
                }
            }
            return After<IReadOnlyList<ServiceBusReceivedMessage>>(Commit(), result);
        }
    }

    internal enum Settlement { Complete, Abandon, Defer, DeadLetter, Release }

    internal Task Settle(MessageEntity entity, bool deadLetter, SessionHandle? session, string lockToken, Settlement settlement,
        IDictionary<string, object?>? propertiesToModify = null, string? reason = null, string? description = null)
    {
        lock (gate)
        {
            var now = Now();
            Maintain(now);
            var (entry, m) = FindLocked(entity, deadLetter, session, lockToken, now);
            if (propertiesToModify is not null)
            {
                foreach (var (key, value) in propertiesToModify)
                {
                    if (!Persistence.PropertyValueCodec.IsSupported(value))
                        throw new ArgumentException($"Property '{key}' has a value of type '{value!.GetType().Name}', which Service Bus does not accept.");
                    m.ApplicationProperties[key] = value;
                }
            }
            var collection = CollectionOf(entity, deadLetter);
            var path = PathOf(entity, deadLetter);
            switch (settlement)
            {
                case Settlement.Complete:
                    locks.Remove(m.LockToken!.Value);
                    collection.Remove(m.SequenceNumber);
                    changes.Message(path, m.SequenceNumber);
                    break;
                case Settlement.Abandon:
                    ReleaseLock(entity, deadLetter, m, countsAsFailedDelivery: true, now);
                    break;
                case Settlement.Release:
                    // Handed back unseen (e.g. it reached a client after its receive call gave up): not a delivery.
                    ReleaseLock(entity, deadLetter, m, countsAsFailedDelivery: false, now);
                    break;
                case Settlement.Defer:
                    locks.Remove(m.LockToken!.Value);
                    m.Unlock();
                    m.State = ServiceBusMessageState.Deferred;
                    changes.Message(path, m.SequenceNumber);
                    ConsiderEviction(collection, path, m);
                    break;
                case Settlement.DeadLetter:
                    if (deadLetter) throw new InvalidOperationException("A message in a dead-letter queue cannot be dead-lettered again.");
                    locks.Remove(m.LockToken!.Value);
                    collection.Remove(m.SequenceNumber);
                    changes.Message(path, m.SequenceNumber);
                    DeadLetter(entity, m, reason, description, now);
                    break;
            }
            _ = entry;
            return Commit();
        }
    }

    internal Task<DateTimeOffset> RenewLock(MessageEntity entity, bool deadLetter, SessionHandle? session, string lockToken)
    {
        lock (gate)
        {
            var now = Now();
            Maintain(now);
            if (session is not null)
                throw new InvalidOperationException("Message locks in a session are covered by the session lock: renew the session lock instead.");
            var (_, m) = FindLocked(entity, deadLetter, null, lockToken, now);
            m.LockedUntil = now + entity.Properties.LockDuration;
            NoteLock(entity, deadLetter, m);
            changes.Message(PathOf(entity, deadLetter), m.SequenceNumber);
            return After(Commit(), m.LockedUntil.Value);
        }
    }

    private (LockEntry Entry, BrokerMessage Message) FindLocked(MessageEntity entity, bool deadLetter, SessionHandle? session, string lockToken, DateTimeOffset now)
    {
        var path = PathOf(entity, deadLetter);
        if (session is not null) CheckSession(entity, session, now);
        if (!Guid.TryParse(lockToken, out var token) || !locks.TryGetValue(token, out var entry)
            || entry.Entity != entity || entry.DeadLetter != deadLetter
            || !CollectionOf(entity, deadLetter).TryGetValue(entry.SequenceNumber, out var m) || m.LockToken != token)
        {
            // A session message settled outside its (now lost) session reports the session's lock, like the service.
            throw ServiceBusException.LockLost(path);
        }
        if (entry.SessionLockToken is Guid sessionToken
            && (!entity.SessionLocks.TryGetValue(m.SessionId!, out var held) || held.Token != sessionToken))
        {
            throw ServiceBusException.SessionLockLost(path, m.SessionId!);
        }
        if (m.LockedUntil <= now)
        {
            ReleaseLock(entity, deadLetter, m, countsAsFailedDelivery: true, now);
            _ = Commit(); // the expiry is written; the caller is told its lock is lost either way
            throw ServiceBusException.LockLost(path);
        }
        return (entry, m);
    }

    /// <summary>Returns a locked message to its entity. A failed delivery (abandon, lock expiry) counts, and past
    /// MaxDeliveryCount dead-letters the message (never in a dead-letter queue itself).</summary>
    private void ReleaseLock(MessageEntity entity, bool deadLetter, BrokerMessage m, bool countsAsFailedDelivery, DateTimeOffset now)
    {
        if (m.LockToken is Guid token) locks.Remove(token);
        m.Unlock();
        var path = PathOf(entity, deadLetter);
        changes.Message(path, m.SequenceNumber);
        if (countsAsFailedDelivery) m.FailedDeliveries++;
        if (!deadLetter && m.ExpiresAt <= now) NoteExpiry(entity, m);
        if (!deadLetter && m.FailedDeliveries >= entity.Properties.MaxDeliveryCount)
        {
            entity.Messages.Remove(m.SequenceNumber);
            DeadLetter(entity, m, DeadLetterReasons.MaxDeliveryCountExceeded,
                DeadLetterReasons.MaxDeliveryCountDescription(entity.Properties.MaxDeliveryCount), now);
            return;
        }
        ConsiderEviction(CollectionOf(entity, deadLetter), path, m);
        Pulse(entity);
    }

    private Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekLocked(MessageEntity entity, bool deadLetter, int max, long? fromSequence, string? sessionId)
    {
        if (max < 1) throw new ArgumentOutOfRangeException(nameof(max), "Peek at least one message.");
        Maintain(Now());
        var path = PathOf(entity, deadLetter);
        var collection = CollectionOf(entity, deadLetter);
        IEnumerable<BrokerMessage> candidates = sessionId is not null ? collection.InSession(sessionId) : collection.Values;
        var peeked = candidates
            .Where(m => m.SequenceNumber >= (fromSequence ?? long.MinValue))
            .Take(max)
            .ToList();
        var result = new List<ServiceBusReceivedMessage>(peeked.Count);
        foreach (var m in peeked)
        {
            var evicted = !m.HasPayloadInMemory;
            result.Add(WithPayload(m).ToReceived(path, withLock: false));
            if (evicted) ConsiderEviction(collection, path, m, durable: true);
        }
        // What was peeked may have been written by operations not yet acknowledged: answer once it is durable.
        return After<IReadOnlyList<ServiceBusReceivedMessage>>(Commit(), result);
    }

    internal Task<IReadOnlyList<ServiceBusReceivedMessage>> Peek(MessageEntity entity, bool deadLetter, int max, long? fromSequence, string? sessionId)
    {
        lock (gate) return PeekLocked(entity, deadLetter, max, fromSequence, sessionId);
    }
}
