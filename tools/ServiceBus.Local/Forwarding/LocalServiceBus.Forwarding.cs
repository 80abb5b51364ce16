using ServiceBus.Local.Entities;
using ServiceBus.Local.Errors;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local;

/// <summary>
/// Auto-forwarding (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-auto-forwarding): ForwardTo moves every arriving message on to a queue or topic;
/// ForwardDeadLetteredMessagesTo does the same for dead letters and marks them with <c>DeadLetterSource</c>.
/// The destination sees a new message (new sequence number, <c>EnqueuedSequenceNumber</c> = the original one);
/// application properties (so DeadLetterReason/Description) travel with it. More than 4 hops dead-letters it.
/// </summary>
public sealed partial class LocalServiceBus
{
    internal const int MaxTransferHops = 4;

    private void Forward(MessageEntity source, BrokerMessage m, string destinationName, DateTimeOffset now)
    {
        if (m.TransferHopCount >= MaxTransferHops)
        {
            StoreDeadLetter(source, m, DeadLetterReasons.MaxTransferHopCountExceeded, null);
            return;
        }
        var forwarded = WithPayload(m).Clone();
        forwarded.TransferHopCount++;
        if (forwarded.EnqueuedSequenceNumber == 0) forwarded.EnqueuedSequenceNumber = m.SequenceNumber;
        EntityRuntime destination = queues.TryGetValue(destinationName, out var queue) ? queue : topics[destinationName];
        Deliver(destination, forwarded, now);
    }

    /// <summary>Dead-letters a message taken out of <paramref name="entity"/> (or never stored there): into its DLQ,
    /// or on to ForwardDeadLetteredMessagesTo.</summary>
    private void DeadLetter(MessageEntity entity, BrokerMessage m, string? reason, string? description, DateTimeOffset now)
    {
        WithPayload(m); // it gets a new place and reason properties (an expiring or restored message may be evicted)
        if (reason is not null) m.ApplicationProperties[DeadLetterReasons.ReasonProperty] = reason;
        if (description is not null) m.ApplicationProperties[DeadLetterReasons.DescriptionProperty] = description;
        m.Unlock();
        if (entity.Properties.ForwardDeadLetteredMessagesTo is { } target && m.TransferHopCount < MaxTransferHops)
        {
            m.DeadLetterSource = entity.Path;
            Forward(entity, m, target, now);
            return;
        }
        StoreDeadLetter(entity, m, null, null);
    }

    private void StoreDeadLetter(MessageEntity entity, BrokerMessage m, string? reason, string? description)
    {
        if (reason is not null) m.ApplicationProperties[DeadLetterReasons.ReasonProperty] = reason;
        if (description is not null) m.ApplicationProperties[DeadLetterReasons.DescriptionProperty] = description;
        m.Unlock();
        m.State = ServiceBusMessageState.Active;
        WithPayload(m); // a new place (the dead-letter sub-queue): its payload goes with it
        entity.DeadLetters[m.SequenceNumber] = m;
        changes.Message(entity.DeadLetterPath, m.SequenceNumber);
        ConsiderEviction(entity.DeadLetters, entity.DeadLetterPath, m);
        Pulse(entity);
    }
}
