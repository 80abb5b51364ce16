using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Text;

namespace Workflows.Runtime.History;

/// <summary>
/// Writes the run store's binary forms (frozen values, run documents, stored records) into one growing array, with the
/// layout <see cref="BinaryWriter"/> gives (little-endian numbers, strings as a 7-bit encoded UTF-8 byte count then the
/// bytes, booleans as one byte) without a stream's call per value: files written before and after read alike.
/// </summary>
internal sealed class LayoutWriter
{
    private byte[] data = new byte[4096];
    private int length;

    public int Capacity => data.Length;

    public void Reset() => length = 0;

    public byte[] ToArray() => data.AsSpan(0, length).ToArray();

    /// <summary>What was written, in the writer's own array (valid until the writer is reset or grows).</summary>
    public ReadOnlySpan<byte> Written => data.AsSpan(0, length);

    /// <summary>Where the next byte goes (offsets of stored rows, see <see cref="SharedValues"/>).</summary>
    public int Position => length;

    public void Write(bool value) => Write((byte)(value ? 1 : 0));

    public void Write(short value)
    {
        if (data.Length - length < sizeof(short)) Grow(sizeof(short));
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(length), value);
        length += sizeof(short);
    }

    public void Write(byte[] source, int start, int count) => Write(source.AsSpan(start, count));

    /// <summary>Writes <paramref name="value"/> over the four bytes at <paramref name="position"/> (a length known once what follows it is written).</summary>
    public void WriteInt32At(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(position, sizeof(int)), value);

    public void Write(byte value)
    {
        if (length == data.Length) Grow(1);
        data[length++] = value;
    }

    public void Write(int value)
    {
        if (data.Length - length < sizeof(int)) Grow(sizeof(int));
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(length), value);
        length += sizeof(int);
    }

    /// <summary>A non-negative number in 1 to 5 bytes, 7 bits each (<see cref="BinaryWriter.Write7BitEncodedInt"/>'s layout).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteCount(int value)
    {
        if (data.Length - length < 5) Grow(5);
        var rest = (uint)value;
        while (rest >= 0x80)
        {
            data[length++] = (byte)(rest | 0x80);
            rest >>= 7;
        }
        data[length++] = (byte)rest;
    }

    public void Write(long value)
    {
        if (data.Length - length < sizeof(long)) Grow(sizeof(long));
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(length), value);
        length += sizeof(long);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (data.Length - length < bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(data.AsSpan(length));
        length += bytes.Length;
    }

    /// <summary>As <see cref="BinaryWriter.Write(string)"/> with UTF-8: invalid UTF-16 is written as U+FFFD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(string text)
    {
        // Room for the longest encoding, so that the text is encoded once, straight after its length.
        var most = Encoding.UTF8.GetMaxByteCount(text.Length) + 5;
        if (data.Length - length < most) Grow(most);
        var count = text.Length < 128 / 3 ? -1 : Encoding.UTF8.GetByteCount(text);
        if (count < 0)
        {
            // Short: fewer than 128 bytes whatever it holds, so the length is one byte, written once the text is.
            count = Encoding.UTF8.GetBytes(text, data.AsSpan(length + 1));
            data[length] = (byte)count;
            length += 1 + count;
            return;
        }
        for (var rest = (uint)count; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                data[length++] = (byte)rest;
                break;
            }
            data[length++] = (byte)(rest | 0x80);
        }
        length += Encoding.UTF8.GetBytes(text, data.AsSpan(length));
    }

    private void Grow(int needed) => Array.Resize(ref data, Math.Max(data.Length * 2, length + needed));
}
