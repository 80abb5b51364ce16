using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Entities;

/// <summary>
/// The messages of one entity or sub-queue, by sequence number, with an index of each session's messages (for
/// session-enabled entities) kept in step with every add and remove, so that a session receiver, a session lock's
/// renewal or expiry and a session's release touch that session's messages only, never the whole backlog.
/// Every add and remove also counts the message's size toward its entity's quota (<see cref="EntitySize"/>).
/// </summary>
internal sealed class MessageSet(bool indexSessions, EntitySize size)
{
    private readonly SequenceMap<BrokerMessage> bySequence = new();
    private readonly Dictionary<string, SessionMessages>? bySession = indexSessions ? new(StringComparer.Ordinal) : null;

    /// <summary>One session's sequence numbers: the first inline (a session of one message, common in a backlog of
    /// orders, costs no allocation of its own), the rest in a set once there are more.</summary>
    private struct SessionMessages
    {
        public long First;
        public SortedSet<long>? All;

        public readonly IEnumerable<long> InOrder => All ?? (IEnumerable<long>)[First];
    }

    public int Count => bySequence.Count;

    /// <summary>In sequence order.</summary>
    public IEnumerable<BrokerMessage> Values => bySequence.Values;

    public BrokerMessage this[long sequenceNumber]
    {
        get => bySequence.TryGetValue(sequenceNumber, out var m) ? m : throw new KeyNotFoundException($"No message {sequenceNumber}.");
        set
        {
            Remove(sequenceNumber);
            // A message's size is taken when it is put somewhere with its payload (a send, a move, a restore that read
            // the body); one put in without it keeps the size it was counted with before (the store keeps it too).
            if (value.HasPayloadInMemory) value.CountedSize = value.Size;
            size.Add(value.CountedSize);
            bySequence.Set(sequenceNumber, value);
            if (bySession is not null && value.SessionId is { } session)
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(bySession, session, out var exists);
                if (!exists) entry.First = sequenceNumber;
                else (entry.All ??= [entry.First]).Add(sequenceNumber);
            }
        }
    }

    public bool TryGetValue(long sequenceNumber, [NotNullWhen(true)] out BrokerMessage? message) => bySequence.TryGetValue(sequenceNumber, out message);

    public bool ContainsKey(long sequenceNumber) => bySequence.TryGetValue(sequenceNumber, out _);

    public bool Remove(long sequenceNumber)
    {
        if (!bySequence.Remove(sequenceNumber, out var removed)) return false;
        size.Remove(removed.CountedSize);
        if (bySession is not null && removed.SessionId is { } session)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(bySession, session);
            if (Unsafe.IsNullRef(ref entry)) return true;
            if (entry.All is null)
            {
                if (entry.First == sequenceNumber) bySession.Remove(session);
            }
            else if (entry.All.Remove(sequenceNumber) && entry.All.Count == 0)
            {
                bySession.Remove(session);
            }
        }
        return true;
    }

    /// <summary>One session's messages in sequence order (a copy: callers may change the set while walking it).</summary>
    public List<BrokerMessage> InSession(string sessionId)
    {
        if (bySession is null) return bySequence.Values.Where(m => string.Equals(m.SessionId, sessionId, StringComparison.Ordinal)).ToList();
        return bySession.TryGetValue(sessionId, out var entry) ? entry.InOrder.Select(s => this[s]).ToList() : [];
    }

    /// <summary>How many sessions have messages here (the index's size, for the memory figures).</summary>
    public int SessionCount => bySession?.Count ?? 0;
}
