namespace Workflows.Runtime.History;

/// <summary>
/// Several stored records of one run in one row of <c>run_record_groups</c> (format 4): the records a write of the run
/// stores (its trigger when it starts, the actions completed since its last checkpoint), numbered consecutively from the
/// row's first number, each as a 7-bit encoded length then its bytes. A record's bytes are exactly what a row of
/// <c>run_records</c> held (format 3), so a shared value's reference (record, offset, length) is relative to its record,
/// wherever the record is stored. One row per write instead of one per record: SQLite's work per row (a seek, b-tree and
/// index pages, a statement step) did not shrink with the bytes, and a checkpoint stores about eleven records at once.
/// </summary>
internal sealed class RecordGroup
{
    private readonly LayoutWriter buffer = new();

    /// <summary>The number of the group's first record (-1 while the group is empty).</summary>
    public int First { get; private set; } = -1;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Written => buffer.Written;

    /// <summary>Starts a new group (what was added before is forgotten).</summary>
    public void Reset()
    {
        buffer.Reset();
        (First, Count) = (-1, 0);
    }

    /// <summary>Adds the record numbered <paramref name="number"/>: the group's first, or the one after its last.</summary>
    public void Add(int number, ReadOnlySpan<byte> record)
    {
        if (Count == 0) First = number;
        else if (number != First + Count) throw new InvalidOperationException($"Record {number} does not follow record {First + Count - 1} of its group.");
        buffer.WriteCount(record.Length);
        buffer.Write(record);
        Count++;
    }

    /// <summary>Splits a stored group into its records, by number.</summary>
    public static void Split(byte[] group, int first, int count, IDictionary<int, byte[]> into)
    {
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var length = ReadCount(group, ref position);
            if (length > group.Length - position) throw new InvalidDataException($"A stored record group ends inside its record {first + i}.");
            into[first + i] = group.AsSpan(position, length).ToArray();
            position += length;
        }
        if (position != group.Length) throw new InvalidDataException($"A stored record group holds more than its {count} records.");
    }

    private static int ReadCount(byte[] data, ref int position)
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= data.Length) throw new InvalidDataException("A stored record group ends inside a record's length.");
            var b = data[position++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80) return value >= 0 ? value : throw new InvalidDataException("A stored record group holds a negative length.");
        }
        throw new InvalidDataException("A stored record group holds a malformed length.");
    }
}
