using System.Diagnostics.CodeAnalysis;
using ServiceBus.Local.Messages;

namespace ServiceBus.Local.Entities;

/// <summary>
/// The messages of one entity or sub-queue, by sequence number, with an index of each session's messages (for
/// session-enabled entities) kept in step with every add and remove, so that a session receiver, a session lock's
/// renewal or expiry and a session's release touch that session's messages only, never the whole backlog.
/// </summary>
internal sealed class MessageSet(bool indexSessions)
{
    private readonly SortedDictionary<long, BrokerMessage> bySequence = [];
    private readonly Dictionary<string, SortedSet<long>>? bySession = indexSessions ? new(StringComparer.Ordinal) : null;

    public int Count => bySequence.Count;

    /// <summary>In sequence order.</summary>
    public SortedDictionary<long, BrokerMessage>.ValueCollection Values => bySequence.Values;

    public BrokerMessage this[long sequenceNumber]
    {
        get => bySequence[sequenceNumber];
        set
        {
            Remove(sequenceNumber);
            bySequence[sequenceNumber] = value;
            if (bySession is not null && value.SessionId is { } session)
            {
                if (!bySession.TryGetValue(session, out var set)) bySession[session] = set = [];
                set.Add(sequenceNumber);
            }
        }
    }

    public bool TryGetValue(long sequenceNumber, [NotNullWhen(true)] out BrokerMessage? message) => bySequence.TryGetValue(sequenceNumber, out message);

    public bool ContainsKey(long sequenceNumber) => bySequence.ContainsKey(sequenceNumber);

    public bool Remove(long sequenceNumber)
    {
        if (!bySequence.Remove(sequenceNumber, out var removed)) return false;
        if (bySession is not null && removed.SessionId is { } session && bySession.TryGetValue(session, out var set))
        {
            set.Remove(sequenceNumber);
            if (set.Count == 0) bySession.Remove(session);
        }
        return true;
    }

    /// <summary>One session's messages in sequence order (a copy: callers may change the set while walking it).</summary>
    public List<BrokerMessage> InSession(string sessionId)
    {
        if (bySession is null) return bySequence.Values.Where(m => string.Equals(m.SessionId, sessionId, StringComparison.Ordinal)).ToList();
        return bySession.TryGetValue(sessionId, out var set) ? set.Select(s => bySequence[s]).ToList() : [];
    }

    /// <summary>How many sessions have messages here (the index's size, for the memory figures).</summary>
    public int SessionCount => bySession?.Count ?? 0;
}
