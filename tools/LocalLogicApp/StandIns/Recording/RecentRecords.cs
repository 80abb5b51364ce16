namespace LocalLogicApp.StandIns.Recording;

/// <summary>
/// What a stand-in recorded (requests, calls, messages sent, cards posted, reservation changes): the newest
/// <see cref="Limit"/> records, in arrival order, and a count of every record ever added. A test reads the few records it
/// caused; a long <c>run</c> (hundreds of thousands of calls) keeps a bounded window instead of every request it ever
/// received, and still reports how many there were. Thread-safe.
/// </summary>
public sealed class RecentRecords<T>
{
    /// <summary>How many records a stand-in keeps unless told otherwise: enough for any test or a look at a local run,
    /// small enough that a day of traffic does not grow the process (a record holds the request and the answer, a few KB:
    /// SAP's XML both ways, a warehouse reservation, a whole adaptive card).</summary>
    public const int DefaultLimit = 1_000;

    private readonly object gate = new();
    private readonly Queue<T> newest = new();
    private int limit;
    private long total;

    public RecentRecords(int limit = DefaultLimit)
    {
        Limit = limit;
    }

    /// <summary>The most records kept (0 keeps none, and still counts); lowering it forgets the oldest at once.</summary>
    public int Limit
    {
        get { lock (gate) return limit; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (gate)
            {
                limit = value;
                Trim();
            }
        }
    }

    /// <summary>Every record ever added (since the last <see cref="Clear"/>), kept or not.</summary>
    public long Total
    {
        get { lock (gate) return total; }
    }

    /// <summary>Counts a record and keeps it, forgetting the oldest one beyond <see cref="Limit"/>. Returns the record's
    /// 1-based number among all records added.</summary>
    public long Add(T record)
    {
        lock (gate)
        {
            total++;
            if (limit > 0)
            {
                newest.Enqueue(record);
                Trim();
            }
            return total;
        }
    }

    /// <summary>Counts a record without keeping it (when <see cref="Limit"/> is 0, so that a caller need not build it).</summary>
    public long CountOnly()
    {
        lock (gate) return ++total;
    }

    /// <summary>True when <see cref="Add"/> would keep a record (<see cref="Limit"/> above 0).</summary>
    public bool Keeps
    {
        get { lock (gate) return limit > 0; }
    }

    /// <summary>The records kept, oldest first.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (gate) return newest.ToArray();
    }

    /// <summary>Forgets the records kept and restarts the count.</summary>
    public void Clear()
    {
        lock (gate)
        {
            newest.Clear();
            total = 0;
        }
    }

    private void Trim()
    {
        while (newest.Count > limit) newest.Dequeue();
        // A queue never gives back its array: after a large window is lowered, let it shrink.
        if (newest.Count == 0) newest.TrimExcess();
    }
}
