using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>
/// Time-driven moves, applied lazily at the start of every operation: scheduled messages become active (with a new
/// sequence number, https://learn.microsoft.com/azure/service-bus-messaging/message-sequencing), expired locks return their messages, expired session locks release their
/// sessions, expired messages are dead-lettered (TTLExpiredException) or dropped (https://learn.microsoft.com/azure/service-bus-messaging/message-expiration), and duplicate-detection
/// history ages out. Locked and deferred messages do not expire; dead letters have no TTL.
/// Everything that can fall due is noted once in a due-time index (a priority queue by time) when it is set; an
/// operation takes from it only what is due, so no operation scans the backlog. An entry is checked against the
/// message, lock or history entry when it falls due (a renewed lock, a settled message or a refreshed history entry
/// leaves a stale entry, which is then skipped). Waiting messages that expire in their sequence order (their entity's
/// time to live: nearly all) share one entry per entity, for the front of its <see cref="ExpiryOrder"/>.
/// </summary>
public sealed partial class LocalServiceBus
{
    private enum DueKind : byte { MessageLock, SessionLock, Scheduled, Expiry, ExpiryFront, Duplicate }

    /// <summary>One thing that falls due: <see cref="Sequence"/> names a message; <see cref="Detail"/> is a duplicate-
    /// detection message id (string), a message lock's token (a boxed Guid) or a session lock's
    /// <see cref="SessionLockDue"/>, and null for the TTL, expiry-order and scheduled entries (kept small: 32 bytes, 48 with
    /// its time).</summary>
    private readonly record struct DueEntry(EntityRuntime Entity, object? Detail, long Sequence, DueKind Kind, bool DeadLetter)
    {
        public string? Key => Detail is SessionLockDue session ? session.SessionId : Detail as string;
        public Guid Token => Detail switch { Guid token => token, SessionLockDue session => session.Token, _ => default };
    }

    private sealed record SessionLockDue(string SessionId, Guid Token);

    /// <summary>Orders by time (UTC ticks), then by the order entries were noted (the queue itself is not stable).</summary>
    private readonly record struct DueAt(long UtcTicks, long Order) : IComparable<DueAt>
    {
        public DateTimeOffset Time => new(UtcTicks, TimeSpan.Zero);
        public int CompareTo(DueAt other) => UtcTicks != other.UtcTicks ? UtcTicks.CompareTo(other.UtcTicks) : Order.CompareTo(other.Order);
    }

    private PriorityQueue<DueEntry, DueAt> due = new();
    private long dueOrder;

    /// <summary>The index is compacted once it holds more than this many entries (and then once it has doubled from
    /// what the compaction kept): each entry is examined about once more in all, and the index stays within twice what
    /// is still waiting. Without it, a settled message left its TTL entry for its whole time to live (an hour for the
    /// product's topic, up to unlimited in Azure), so the index of a long <c>run</c> grew with the traffic of the last
    /// hour: 2.1 million entries, 100 MB, after 25 minutes at ~250 events a second (docs/runtime/service-bus.md,
    /// "Design: how an operation runs and what a backlog costs").</summary>
    internal int DueCompactionFloor { get; set; } = 65_536;

    private int dueCompactionAt;

    private int DueEntryCount => due.Count;

    private void Note(DueKind kind, DateTimeOffset? at, EntityRuntime entity, bool deadLetter = false, long sequence = 0, string? key = null, Guid token = default)
    {
        if (at is not { } time || time == DateTimeOffset.MaxValue) return;
        object? detail = kind switch
        {
            DueKind.MessageLock => token,
            DueKind.SessionLock => new SessionLockDue(key!, token),
            _ => key,
        };
        due.Enqueue(new DueEntry(entity, detail, sequence, kind, deadLetter), new DueAt(time.UtcTicks, ++dueOrder));
        if (due.Count > Math.Max(dueCompactionAt, DueCompactionFloor)) CompactDueIndex();
    }

    /// <summary>Drops the entries that can no longer act (their message settled or gone, their lock or history entry
    /// replaced) and rebuilds the index at the size of what is left, releasing the array a burst grew.</summary>
    private void CompactDueIndex()
    {
        var kept = new List<(DueEntry, DueAt)>();
        foreach (var (entry, at) in due.UnorderedItems)
        {
            if (CanStillAct(entry)) kept.Add((entry, at));
        }
        due = new PriorityQueue<DueEntry, DueAt>(kept);
        dueCompactionAt = 2 * kept.Count;
    }

    /// <summary>Whether <see cref="Apply"/> might still act on <paramref name="e"/> when it falls due: the same checks
    /// without the time (an entry kept here is checked again then).</summary>
    private bool CanStillAct(DueEntry e)
    {
        switch (e.Kind)
        {
            case DueKind.MessageLock:
                return CollectionOf((MessageEntity)e.Entity, e.DeadLetter).TryGetValue(e.Sequence, out var locked) && locked.LockToken == e.Token;
            case DueKind.SessionLock:
                return ((MessageEntity)e.Entity).SessionLocks.TryGetValue(e.Key!, out var held) && held.Token == e.Token;
            case DueKind.Scheduled:
                var scheduled = e.Entity is TopicRuntime topic ? topic.Scheduled : ((MessageEntity)e.Entity).Messages;
                return scheduled.TryGetValue(e.Sequence, out var waiting) && waiting.State == ServiceBusMessageState.Scheduled;
            case DueKind.Expiry:
                return ((MessageEntity)e.Entity).Messages.ContainsKey(e.Sequence);
            case DueKind.ExpiryFront:
                return true; // an entity's only one, for the front of its expiry order
            case DueKind.Duplicate:
                return e.Entity.Duplicates is { } history && history.ContainsKey(e.Key!);
            default:
                return true;
        }
    }

    /// <summary>A message lock outside a session (a session's message locks follow its session lock).</summary>
    private void NoteLock(MessageEntity entity, bool deadLetter, BrokerMessage m)
    {
        if (entity.Properties.RequiresSession && !deadLetter) return;
        Note(DueKind.MessageLock, m.LockedUntil, entity, deadLetter, m.SequenceNumber, token: m.LockToken ?? default);
    }

    private void NoteSessionLock(MessageEntity entity, string sessionId, SessionLock held) =>
        Note(DueKind.SessionLock, held.LockedUntil, entity, key: sessionId, token: held.Token);

    private void NoteScheduled(EntityRuntime target, BrokerMessage m) => Note(DueKind.Scheduled, m.ScheduledEnqueueTime, target, sequence: m.SequenceNumber);

    /// <summary>A waiting message's time to live: in its entity's <see cref="ExpiryOrder"/> when it keeps that order (one
    /// due-time entry for the whole order), else an entry of its own.</summary>
    private void NoteExpiry(MessageEntity entity, BrokerMessage m)
    {
        if (m.ExpiresAt == DateTimeOffset.MaxValue) return;
        var order = entity.Expiries;
        if (!order.TryAppend(m.SequenceNumber, m.ExpiresAt))
        {
            Note(DueKind.Expiry, m.ExpiresAt, entity, sequence: m.SequenceNumber);
            return;
        }
        if (order.Outgrown(DueCompactionFloor)) order.Compact(entity.Messages.ContainsKey);
        if (order.FrontNoted) return; // the order's entry falls due no later than this message
        order.FrontNoted = true;
        Note(DueKind.ExpiryFront, m.ExpiresAt, entity);
    }

    /// <summary>Expires the messages at the front of <paramref name="entity"/>'s expiry order whose time has come, and
    /// notes the order's entry again for the first one still to come. A message locked or deferred at its time leaves the
    /// order without expiring (locked and deferred messages do not expire); a lock that ends after it notes it again
    /// (<see cref="ReleaseLock"/>).</summary>
    private void ExpireFront(MessageEntity entity, DateTimeOffset now)
    {
        var order = entity.Expiries;
        order.FrontNoted = false;
        while (order.TryPeek(out var sequence))
        {
            if (entity.Messages.TryGetValue(sequence, out var m))
            {
                if (m.ExpiresAt > now)
                {
                    order.FrontNoted = true;
                    Note(DueKind.ExpiryFront, m.ExpiresAt, entity);
                    return;
                }
                order.Dequeue();
                if (m.State == ServiceBusMessageState.Active && m.LockToken is null) Expire(entity, m, now);
            }
            else
            {
                order.Dequeue(); // settled or moved
            }
        }
    }

    private void NoteDuplicate(EntityRuntime entity, string messageId, DateTimeOffset expiresAt) => Note(DueKind.Duplicate, expiresAt, entity, key: messageId);

    private void Maintain(DateTimeOffset now)
    {
        ApplyPayloadEvictions();
        while (due.TryPeek(out var entry, out var at) && at.UtcTicks <= now.UtcTicks)
        {
            due.Dequeue();
            Apply(entry, now);
        }
    }

    private void Apply(DueEntry e, DateTimeOffset now)
    {
        switch (e.Kind)
        {
            case DueKind.MessageLock:
            {
                var entity = (MessageEntity)e.Entity;
                if (CollectionOf(entity, e.DeadLetter).TryGetValue(e.Sequence, out var m) && m.LockToken == e.Token && m.LockedUntil <= now)
                    ReleaseLock(entity, e.DeadLetter, m, countsAsFailedDelivery: true, now);
                break;
            }
            case DueKind.SessionLock:
            {
                // An accepted session whose lock times out counts a failed delivery for its locked messages (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions).
                var entity = (MessageEntity)e.Entity;
                if (!entity.SessionLocks.TryGetValue(e.Key!, out var held) || held.Token != e.Token || held.LockedUntil > now) break;
                entity.SessionLocks.Remove(e.Key!);
                foreach (var m in entity.Messages.InSession(e.Key!).Where(m => m.LockToken is not null))
                    ReleaseLock(entity, false, m, countsAsFailedDelivery: true, now);
                Pulse(entity);
                break;
            }
            case DueKind.Scheduled:
            {
                var scheduled = e.Entity is TopicRuntime topic ? topic.Scheduled : ((MessageEntity)e.Entity).Messages;
                if (!scheduled.TryGetValue(e.Sequence, out var m) || m.State != ServiceBusMessageState.Scheduled || m.ScheduledEnqueueTime > now) break;
                scheduled.Remove(e.Sequence);
                changes.Message(e.Entity.Path, e.Sequence);
                if (e.Entity is TopicRuntime t)
                {
                    m.State = ServiceBusMessageState.Active;
                    Deliver(t, m, now);
                }
                else
                {
                    Enqueue((MessageEntity)e.Entity, m, now);
                }
                break;
            }
            case DueKind.Expiry:
            {
                var entity = (MessageEntity)e.Entity;
                if (entity.Messages.TryGetValue(e.Sequence, out var m) && m.State == ServiceBusMessageState.Active && m.LockToken is null && m.ExpiresAt <= now)
                    Expire(entity, m, now);
                break;
            }
            case DueKind.ExpiryFront:
                ExpireFront((MessageEntity)e.Entity, now);
                break;
            case DueKind.Duplicate:
            {
                if (e.Entity.Duplicates is { } history && history.TryGetValue(e.Key!, out var entry) && entry.ExpiresAt <= now)
                {
                    history.Remove(e.Key!);
                    changes.Duplicate(e.Entity, e.Key!);
                }
                break;
            }
        }
    }

    private void Expire(MessageEntity entity, BrokerMessage m, DateTimeOffset now)
    {
        entity.Messages.Remove(m.SequenceNumber);
        changes.Message(entity.Path, m.SequenceNumber);
        if (entity.Properties.DeadLetteringOnMessageExpiration)
            DeadLetter(entity, m, DeadLetterReasons.TtlExpired, DeadLetterReasons.TtlExpiredDescription, now);
    }

    // ---- The due-time pump ------------------------------------------------------------------------------------------
    // A receiver waiting for messages sleeps until something arrives in its entity or its wait ends; what falls due while
    // no operation runs (a lock that expires and returns its message, a scheduled message, a TTL dead letter) is applied
    // by one timer armed for the index's next entry, which wakes the entity's receivers through Pulse. Before, every waiting
    // receiver woke itself at every due entry of any entity (duplicate-detection entries fall due at the send rate) and
    // scanned for work: dozens of wake-ups per entry with session receivers waiting.

    /// <summary>The pump fires at most this often (broker time): entries closer together are applied together. A waiting
    /// receiver may so see an expired lock's message up to this much after the lock ended; an operation that runs meanwhile
    /// applies it exactly (every operation maintains first).</summary>
    internal static readonly TimeSpan DuePumpSpacing = TimeSpan.FromSeconds(1);

    private ITimer? duePump;
    private long duePumpAt = long.MaxValue;
    private long lastPumpTicks;

    /// <summary>Arms the pump for the index's next entry if it is not armed for that or earlier (under the lock).</summary>
    private void ArmDuePump()
    {
        if (disposed || !due.TryPeek(out _, out var at)) return;
        var fireAt = Math.Max(at.UtcTicks, lastPumpTicks + DuePumpSpacing.Ticks);
        if (fireAt >= duePumpAt) return;
        duePumpAt = fireAt;
        // At least a tick: a clock whose timers fire on Change (a test clock) must not run the pump inside this operation.
        var wait = TimeSpan.FromTicks(Math.Max(1, fireAt - Now().UtcTicks));
        duePump ??= clock.CreateTimer(static bus => ThreadPool.UnsafeQueueUserWorkItem(static b => ((LocalServiceBus)b!).PumpDue(), bus),
            this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        duePump.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private void PumpDue()
    {
        lock (gate)
        {
            if (disposed) return;
            duePumpAt = long.MaxValue;
            var now = Now();
            lastPumpTicks = now.UtcTicks;
            Maintain(now);
            try
            {
                _ = Commit(); // nobody waits for it; the next operation's answer waits for this batch and its own
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // The writer failed: every operation reports it from now on.
            }
        }
    }
}
