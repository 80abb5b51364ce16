using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>
/// Time-driven moves, applied lazily at the start of every operation: scheduled messages become active (with a new
/// sequence number, https://learn.microsoft.com/azure/service-bus-messaging/message-sequencing), expired locks return their messages, expired session locks release their
/// sessions, expired messages are dead-lettered (TTLExpiredException) or dropped (https://learn.microsoft.com/azure/service-bus-messaging/message-expiration), and duplicate-detection
/// history ages out. Locked and deferred messages do not expire; dead letters have no TTL.
/// </summary>
public sealed partial class LocalServiceBus
{
    private DateTimeOffset nextDue = DateTimeOffset.MinValue;

    /// <summary>Notes that something falls due at <paramref name="time"/>, so Maintain must not skip past it.</summary>
    private void Due(DateTimeOffset? time)
    {
        if (time is { } t && t < nextDue) nextDue = t;
    }

    private void Maintain(DateTimeOffset now)
    {
        if (now < nextDue) return;
        nextDue = DateTimeOffset.MaxValue;

        foreach (var topic in topics.Values)
        {
            foreach (var m in topic.Scheduled.Values.Where(m => m.ScheduledEnqueueTime <= now).ToList())
            {
                topic.Scheduled.Remove(m.SequenceNumber);
                changes.Message(topic.Path, m.SequenceNumber);
                m.State = ServiceBusMessageState.Active;
                Deliver(topic, m, now);
            }
            PruneDuplicates(topic, now);
        }

        foreach (var entity in receivables.Values)
        {
            foreach (var (sessionId, held) in entity.SessionLocks.Where(s => s.Value.LockedUntil <= now).ToList())
            {
                // An accepted session whose lock times out counts a failed delivery for its locked messages (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions).
                entity.SessionLocks.Remove(sessionId);
                foreach (var m in entity.Messages.Values.Where(m => m.LockToken is not null && m.SessionId == sessionId).ToList())
                    ReleaseLock(entity, false, m, countsAsFailedDelivery: true, now);
            }

            foreach (var m in entity.Messages.Values.ToList())
            {
                if (m.State == ServiceBusMessageState.Scheduled)
                {
                    if (m.ScheduledEnqueueTime <= now)
                    {
                        entity.Messages.Remove(m.SequenceNumber);
                        changes.Message(entity.Path, m.SequenceNumber);
                        Enqueue(entity, m, now);
                    }
                    continue;
                }
                if (m.LockToken is not null && !entity.Properties.RequiresSession && m.LockedUntil <= now)
                    ReleaseLock(entity, false, m, countsAsFailedDelivery: true, now);
                if (entity.Messages.ContainsKey(m.SequenceNumber) && m.State == ServiceBusMessageState.Active
                    && m.LockToken is null && m.ExpiresAt <= now)
                {
                    Expire(entity, m, now);
                }
            }

            foreach (var m in entity.DeadLetters.Values.Where(m => m.LockToken is not null && m.LockedUntil <= now).ToList())
                ReleaseLock(entity, true, m, countsAsFailedDelivery: true, now);

            PruneDuplicates(entity, now);
        }

        nextDue = ComputeNextDue();
    }

    private void Expire(MessageEntity entity, BrokerMessage m, DateTimeOffset now)
    {
        entity.Messages.Remove(m.SequenceNumber);
        changes.Message(entity.Path, m.SequenceNumber);
        if (entity.Properties.DeadLetteringOnMessageExpiration)
            DeadLetter(entity, m, DeadLetterReasons.TtlExpired, DeadLetterReasons.TtlExpiredDescription, now);
    }

    private void PruneDuplicates(EntityRuntime entity, DateTimeOffset now)
    {
        if (entity.Duplicates is not { } history) return;
        foreach (var (id, _) in history.Where(h => h.Value.ExpiresAt <= now).ToList())
        {
            history.Remove(id);
            changes.Duplicate(entity, id);
        }
    }

    private DateTimeOffset ComputeNextDue()
    {
        var due = DateTimeOffset.MaxValue;
        void Consider(DateTimeOffset? t) { if (t is { } v && v < due) due = v; }
        foreach (var topic in topics.Values)
        {
            foreach (var m in topic.Scheduled.Values) Consider(m.ScheduledEnqueueTime);
            if (topic.Duplicates is { } h) foreach (var e in h.Values) Consider(e.ExpiresAt);
        }
        foreach (var entity in receivables.Values)
        {
            foreach (var s in entity.SessionLocks.Values) Consider(s.LockedUntil);
            foreach (var m in entity.Messages.Values)
            {
                if (m.State == ServiceBusMessageState.Scheduled) Consider(m.ScheduledEnqueueTime);
                else if (m.LockToken is not null) Consider(entity.Properties.RequiresSession ? null : m.LockedUntil);
                else if (m.State == ServiceBusMessageState.Active) Consider(m.ExpiresAt);
            }
            foreach (var m in entity.DeadLetters.Values) if (m.LockToken is not null) Consider(m.LockedUntil);
            if (entity.Duplicates is { } h) foreach (var e in h.Values) Consider(e.ExpiresAt);
        }
        return due;
    }

    /// <summary>When a waiting receiver should look again even if nothing is sent.</summary>
    private DateTimeOffset NextDueAfter(DateTimeOffset now) => nextDue > now ? nextDue : now + TimeSpan.FromMilliseconds(50);
}
