using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using Tag = Workflows.Runtime.History.FrozenJson.Tag;

namespace Workflows.Runtime.History;

/// <summary>
/// The large JSON values of one run, for the run store to write each once: an order's message is the trigger's outputs,
/// then the inputs of the action that maps it, and a mapped document is one action's outputs and the next one's inputs.
/// Every object, array or string of at least <see cref="Threshold"/> bytes (frozen form) that the store writes is noted
/// with where it landed (stored record, offset, length); the same value met again in the run is written as a
/// <see cref="Tag.Shared"/> reference to it. Content decides (same length, then the bytes compared), not object identity:
/// a value taken from another action's outputs is a copy by then. Reading splices the references back (<see cref="Expand"/>), so
/// what the history shows is unchanged.
/// </summary>
internal sealed class SharedValues
{
    public const int Threshold = 1024;

    /// <summary>The row number that means "the document being written" (documents are rewritten, records are not).</summary>
    public const int DocumentRow = -1;

    private const int ReferenceLength = 1 + 3 * sizeof(int);

    // By length: a value is looked for only among values of its exact length, compared byte for byte (no hashing: a
    // hash of every large value, nested ones again inside their parents, cost more than it saved).
    private readonly Dictionary<int, List<Entry>> entries = [];
    private readonly List<int> documentLengths = [];

    private readonly record struct Entry(byte[] Source, int Start, int Row, int Offset, int StoredLength);

    /// <summary>Writes the frozen value <paramref name="value"/> to <paramref name="writer"/> (whose stream's positions are
    /// offsets in stored row <paramref name="row"/>), its values already stored in the run as references.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(LayoutWriter writer, byte[] value, int row)
    {
        // Where each large value ends, found in one pass (walking each one again inside its parents would not be).
        var large = new Dictionary<int, int>();
        var end = Measure(value, 0, large);
        Emit(writer, value, 0, end, row, large);
    }

    /// <summary>The document written: what it held can't be referred to any more (the next document replaces it).</summary>
    public void EndDocument()
    {
        foreach (var length in documentLengths)
        {
            if (entries.TryGetValue(length, out var list) && list.RemoveAll(e => e.Row == DocumentRow) > 0 && list.Count == 0) entries.Remove(length);
        }
        documentLengths.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Measure(byte[] source, int start, Dictionary<int, int> large)
    {
        var tag = (Tag)source[start];
        int end;
        if (tag is Tag.Object or Tag.Array)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(source.AsSpan(start + 1));
            end = start + 5;
            for (var i = 0; i < count; i++)
            {
                if (tag == Tag.Object) end = SkipString(source, end);
                end = Measure(source, end, large);
            }
        }
        else
        {
            end = Skip(source, start);
        }
        if (end - start >= Threshold && tag is Tag.Object or Tag.Array or Tag.String) large[start] = end;
        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Emit(LayoutWriter writer, byte[] source, int start, int end, int row, Dictionary<int, int> large)
    {
        var length = end - start;
        var tag = (Tag)source[start];
        if (length < Threshold || tag is not (Tag.Object or Tag.Array or Tag.String))
        {
            writer.Write(source, start, length);
            return;
        }
        var span = source.AsSpan(start, length);
        if (entries.TryGetValue(length, out var known))
        {
            foreach (var entry in known)
            {
                if (!entry.Source.AsSpan(entry.Start, length).SequenceEqual(span)) continue;
                writer.Write((byte)Tag.Shared);
                writer.Write(entry.Row);
                writer.Write(entry.Offset);
                writer.Write(entry.StoredLength);
                return;
            }
        }
        var offset = writer.Position;
        if (tag == Tag.String)
        {
            writer.Write(source, start, length);
        }
        else
        {
            // The container's own values may be known already (the message inside a mapping's inputs).
            writer.Write(source, start, 5);
            var count = BinaryPrimitives.ReadInt32LittleEndian(source.AsSpan(start + 1));
            var position = start + 5;
            for (var i = 0; i < count; i++)
            {
                if (tag == Tag.Object)
                {
                    var name = SkipString(source, position);
                    writer.Write(source, position, name - position);
                    position = name;
                }
                var next = large.TryGetValue(position, out var measured) ? measured : Skip(source, position);
                Emit(writer, source, position, next, row, large);
                position = next;
            }
        }
        (known ??= entries[length] = []).Add(new Entry(source, start, row, offset, writer.Position - offset));
        if (row == DocumentRow) documentLengths.Add(length);
    }

    /// <summary>The value with every reference replaced by the value it refers to. <paramref name="row"/> gives a stored
    /// row's bytes (<see cref="DocumentRow"/>: the document being read).</summary>
    public static byte[] Expand(ReadOnlySpan<byte> value, Func<int, byte[]> row)
    {
        var output = new MemoryStream(value.Length * 2);
        var position = 0;
        ExpandValue(output, value, ref position, row, depth: 0);
        return output.ToArray();
    }

    private static void ExpandValue(MemoryStream output, ReadOnlySpan<byte> data, ref int position, Func<int, byte[]> row, int depth)
    {
        var tag = (Tag)data[position];
        switch (tag)
        {
            case Tag.Shared:
            {
                // A reference only ever points back (at a value written before it): a loop means a damaged file.
                if (depth > 64) throw new InvalidDataException("Run document references nest too deep.");
                var number = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 1)..]);
                var offset = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 5)..]);
                var length = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 9)..]);
                var target = row(number);
                if (offset < 0 || length < 1 || offset + length > target.Length) throw new InvalidDataException($"A run document refers to bytes {offset}+{length} of stored row {number}, which has {target.Length}.");
                var inner = 0;
                ExpandValue(output, target.AsSpan(offset, length), ref inner, row, depth + 1);
                position += ReferenceLength;
                return;
            }
            case Tag.Object or Tag.Array:
            {
                output.Write(data.Slice(position, 5));
                var count = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 1)..]);
                position += 5;
                for (var i = 0; i < count; i++)
                {
                    if (tag == Tag.Object)
                    {
                        var name = SkipString(data, position);
                        output.Write(data[position..name]);
                        position = name;
                    }
                    ExpandValue(output, data, ref position, row, depth);
                }
                return;
            }
            default:
            {
                var end = Skip(data, position);
                output.Write(data[position..end]);
                position = end;
                return;
            }
        }
    }

    /// <summary>Where the value at <paramref name="position"/> ends (the frozen form's layout, see <see cref="FrozenJson"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Skip(ReadOnlySpan<byte> data, int position)
    {
        var tag = (Tag)data[position++];
        switch (tag)
        {
            case Tag.Object or Tag.Array:
            {
                var count = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
                position += 4;
                for (var i = 0; i < count; i++)
                {
                    if (tag == Tag.Object) position = SkipString(data, position);
                    position = Skip(data, position);
                }
                return position;
            }
            case Tag.Null or Tag.Undefined or Tag.NullString: return position;
            case Tag.String or Tag.Uri: return SkipString(data, position);
            case Tag.Int32 or Tag.Single: return position + 4;
            case Tag.Int64 or Tag.Double or Tag.DateTime or Tag.TimeSpan: return position + 8;
            case Tag.Decimal or Tag.DateTimeOffset or Tag.Guid: return position + 16;
            case Tag.Boolean: return position + 1;
            case Tag.BigInteger or Tag.Bytes: return position + 4 + BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            case Tag.Shared: return position + ReferenceLength - 1;
            default: throw new InvalidDataException($"Unknown frozen JSON tag {tag}.");
        }
    }

    /// <summary>Where a string written by <see cref="BinaryWriter.Write(string)"/> (7-bit encoded byte length, UTF-8) ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SkipString(ReadOnlySpan<byte> data, int position)
    {
        var length = 0;
        var shift = 0;
        byte part;
        do
        {
            part = data[position++];
            length |= (part & 0x7F) << shift;
            shift += 7;
        }
        while ((part & 0x80) != 0);
        return position + length;
    }
}
