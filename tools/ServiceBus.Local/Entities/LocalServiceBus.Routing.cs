using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Filters;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local;

/// <summary>How a sent message reaches its queue, or a topic's subscriptions through their rules.</summary>
public sealed partial class LocalServiceBus
{
    private const string RuleNameProperty = "RuleName";

    /// <summary>Checks what the service rejects at send time, before anything is accepted.</summary>
    private static BrokerMessage Validate(EntityRuntime target, ServiceBusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.MessageId?.Length > 128) throw new ArgumentException("MessageId can be at most 128 characters.", nameof(message));
        if (message.SessionId?.Length > 128) throw new ArgumentException("SessionId can be at most 128 characters.", nameof(message));
        if (message.TimeToLive <= TimeSpan.Zero) throw new ArgumentException("TimeToLive must be positive.", nameof(message));
        foreach (var (key, value) in message.ApplicationProperties)
        {
            if (!PropertyValueCodec.IsSupported(value))
                throw new ArgumentException($"Application property '{key}' has a value of type '{value!.GetType().Name}', which Service Bus does not accept.", nameof(message));
        }
        var m = BrokerMessage.FromSent(message);
        var limit = target.MaxMessageSizeInKilobytes * 1024;
        if (m.Size > limit)
        {
            throw new ServiceBusException(ServiceBusFailureReason.MessageSizeExceeded,
                $"The message (id: {message.MessageId ?? "none"}, size: {m.Size} bytes) is larger than is currently allowed ({limit} bytes).", target.Path);
        }
        if (target is MessageEntity { Properties.RequiresSession: true } && message.SessionId is null)
        {
            throw new InvalidOperationException(
                $"The SessionId was not set on a message, and it cannot be sent to the entity '{target.Path}'. Entities that have session support enabled can only receive messages that have the SessionId set to a valid value.");
        }
        return m;
    }

    /// <summary>
    /// A send (one message or a batch, which is accepted or refused whole) to a queue or topic that holds its size quota
    /// or more is refused with QuotaExceeded, before anything is accepted: "Subsequent incoming messages are rejected,
    /// and an exception is received by the calling code" (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas,
    /// "Queue or topic size"). Checked after what fell due was applied (expired messages have left), against a size kept
    /// as messages come and go (<see cref="EntitySize"/>): no message is looked at. A send that finds room is accepted
    /// whole even when it takes the entity past its quota, as the service's own error shows sizes above the maximum.
    /// </summary>
    private static void RefuseWhenFull(EntityRuntime target)
    {
        if (target.Size.IsFull) throw target.Size.Exceeded();
    }

    /// <summary>Accepts one message at a queue or topic: duplicate detection, then scheduling or delivery.
    /// Returns its sequence number at that entity.</summary>
    private long Accept(EntityRuntime target, BrokerMessage m, DateTimeOffset now)
    {
        if (target.Duplicates is { } history && m.MessageId is { } id)
        {
            // Duplicates are reported as accepted and silently dropped (https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection).
            if (history.TryGetValue(id, out var seen) && seen.ExpiresAt > now) return seen.SequenceNumber;
            var sequence = target.LastSequence + 1;
            history[id] = (now + target.DuplicateWindow, sequence);
            NoteDuplicate(target, id, now + target.DuplicateWindow);
            changes.Duplicate(target, id);
        }

        if (m.ScheduledEnqueueTime is { } at && at > now)
        {
            m.SequenceNumber = NextSequence(target);
            m.EnqueuedTime = now;
            m.State = ServiceBusMessageState.Scheduled;
            var scheduled = target is TopicRuntime topic ? topic.Scheduled : ((MessageEntity)target).Messages;
            scheduled[m.SequenceNumber] = m;
            changes.Message(target.Path, m.SequenceNumber);
            NoteScheduled(target, m);
            return m.SequenceNumber;
        }
        return Deliver(target, m, now);
    }

    /// <summary>Puts a message that is due into a queue (or forwards it), or fans it out across a topic.</summary>
    private long Deliver(EntityRuntime target, BrokerMessage m, DateTimeOffset now)
    {
        WithPayload(m);
        if (target is MessageEntity queue) return Enqueue(queue, m, now);
        var topic = (TopicRuntime)target;
        var topicSequence = NextSequence(topic);
        m.SequenceNumber = topicSequence;
        m.EnqueuedTime = now;
        m.TimeToLive = Min(m.TimeToLive, topic.DefaultMessageTimeToLive);
        foreach (var subscription in topic.Subscriptions) FanOut(subscription, m, now);
        return topicSequence;
    }

    /// <summary>
    /// Applies a subscription's rules (https://learn.microsoft.com/azure/service-bus-messaging/topic-filters#actions): rules without an action together yield one copy; each
    /// matching rule with an action yields its own copy, changed by the action and carrying <c>RuleName</c>. A rule
    /// that cannot be evaluated sends one copy to the dead-letter queue (DeadLetteringOnFilterEvaluationExceptions)
    /// or drops it.
    /// </summary>
    private void FanOut(MessageEntity subscription, BrokerMessage m, DateTimeOffset now)
    {
        var copies = new List<BrokerMessage>();
        var plainMatch = false;
        try
        {
            foreach (var rule in subscription.Subscription!.EffectiveRules)
            {
                if (!rule.Filter.Matches(m)) continue;
                if (rule.Action is null)
                {
                    plainMatch = true;
                    continue;
                }
                var copy = m.Clone();
                rule.Action.Apply(copy);
                copy.ApplicationProperties[RuleNameProperty] = rule.Name;
                copies.Add(copy);
            }
        }
        catch (FilterException ex)
        {
            if (subscription.Properties is SubscriptionProperties { DeadLetteringOnFilterEvaluationExceptions: false }) return;
            var failed = m.Clone();
            Stamp(subscription, failed, now);
            DeadLetter(subscription, failed, nameof(FilterException), ex.Message, now);
            return;
        }
        if (plainMatch) copies.Insert(0, m.Clone());
        foreach (var copy in copies) Enqueue(subscription, copy, now);
    }

    /// <summary>Gives a message its place in an entity: sequence number, enqueue time, effective TTL.</summary>
    private void Stamp(MessageEntity entity, BrokerMessage m, DateTimeOffset now)
    {
        m.SequenceNumber = NextSequence(entity);
        m.EnqueuedTime = now;
        m.TimeToLive = Min(Min(m.TimeToLive, entity.DefaultMessageTimeToLive), entity.Topic?.DefaultMessageTimeToLive ?? TimeSpan.MaxValue);
        m.ExpiresAt = m.TimeToLive >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + m.TimeToLive;
        m.State = ServiceBusMessageState.Active;
        m.FailedDeliveries = 0;
        m.Unlock();
    }

    private long Enqueue(MessageEntity entity, BrokerMessage m, DateTimeOffset now)
    {
        WithPayload(m); // it gets a new place (sequence number): its payload goes with it
        Stamp(entity, m, now);
        if (entity.Properties.ForwardTo is not null)
        {
            Forward(entity, m, entity.Properties.ForwardTo, now);
            return m.SequenceNumber;
        }
        if (entity.Properties.RequiresSession && m.SessionId is null)
        {
            DeadLetter(entity, m, DeadLetterReasons.SessionIdIsNull, DeadLetterReasons.SessionIdIsNullDescription, now);
            return m.SequenceNumber;
        }
        entity.Messages[m.SequenceNumber] = m;
        changes.Message(entity.Path, m.SequenceNumber);
        NoteExpiry(entity, m);
        ConsiderEviction(entity.Messages, entity.Path, m);
        Pulse(entity);
        return m.SequenceNumber;
    }

    private long NextSequence(EntityRuntime entity)
    {
        entity.LastSequence++;
        changes.Sequence(entity);
        return entity.LastSequence;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
