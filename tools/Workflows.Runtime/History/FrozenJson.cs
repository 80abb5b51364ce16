using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.History;

/// <summary>
/// A JSON value kept by the run history in a compact binary form: one byte array instead of a tree of tokens.
/// Finished runs stay in the history for long, and every object they hold is copied by the GC from the young to the
/// old generation; a byte array is one object with no references. Lossless: thawing gives tokens of the same types
/// with values of the same .NET types (a value of any other type is not frozen: <see cref="TryFreeze"/> says no).
/// </summary>
internal sealed class FrozenJson
{
    private readonly byte[] data;

    private FrozenJson(byte[] data) => this.data = data;

    /// <summary>The compact form itself (the run store writes it as it is).</summary>
    internal ReadOnlySpan<byte> Bytes => data;

    /// <summary>A value read back from the run store.</summary>
    internal static FrozenJson FromBytes(byte[] bytes) => new(bytes);

    internal int Length => data.Length;

    /// <summary>The compact form's array, never changed once made (the run store keeps it while it writes a run).</summary>
    internal byte[] Array => data;

    // One growing buffer per thread: freezing then allocates only the result.
    [ThreadStatic] private static LayoutWriter? buffer;

    // The run whose values this thread is freezing (see Parts), and the large property values met meanwhile.
    [ThreadStatic] private static Parts? freezing;
    [ThreadStatic] private static List<(JToken Value, int Start, int Length)>? met;

    public static FrozenJson? TryFreeze(JToken token) => TryFreeze(token, null);

    /// <summary>Freezes an action's or a trigger's inputs or outputs: with the parts of the run being frozen on this
    /// thread, if any (see <see cref="Freezing"/>).</summary>
    public static FrozenJson? TryFreezeRecordValue(JToken token) => TryFreeze(token, freezing);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrozenJson? TryFreeze(JToken token, Parts? parts)
    {
        var writer = buffer ??= new LayoutWriter();
        writer.Reset();
        var found = parts is null ? null : met ??= [];
        found?.Clear();
        var result = Write(writer, token, parts) ? new FrozenJson(writer.ToArray()) : null;
        if (result is not null && found is { Count: > 0 }) parts!.Add(found, result.data);
        // A rare huge value: don't keep its buffer for the thread's lifetime.
        if (writer.Capacity > 1 << 20) buffer = null;
        return result;
    }

    /// <summary>Freezes on this thread with <paramref name="parts"/> (the values of one run) until the scope is disposed.</summary>
    internal static PartsScope Freezing(Parts? parts)
    {
        var previous = freezing;
        freezing = parts;
        return new PartsScope(previous);
    }

    internal readonly struct PartsScope(Parts? previous) : IDisposable
    {
        public void Dispose() => freezing = previous;
    }

    /// <summary>
    /// The large property values already frozen in one run, by the token they were frozen from, so that a value met again
    /// is copied instead of walked. A value passed whole to a function or a connector is not copied into its inputs but
    /// pointed at (<c>JsonTree.Borrowing</c>: the property holds the value, whose parent stays the property it came from):
    /// every subscriber's function gets the trigger's body that way, and the SAP call the mapping's document, so freezing
    /// a run walked those trees twice. A borrowed value is told apart by its parent (not the property that holds it here);
    /// only then is it looked up. Sound because the engine never changes a value once a record holds it
    /// (docs/runtime/engine.md, "Values and copies"): the bytes frozen from a token stay its bytes. Held by the run until it
    /// finishes (<see cref="WorkflowRun.ReleaseRecords"/>); shared by the engine's threads and the run store's writer.
    /// </summary>
    internal sealed class Parts
    {
        /// <summary>A property value this long or longer (frozen) is noted: a shorter one costs little to walk again.</summary>
        public const int Threshold = 512;

        private readonly Lock gate = new();
        // A few dozen at most per run, looked up only where a value is borrowed: a list searched by reference allocates
        // less than a dictionary (bytes allocated per order are watched as closely as CPU).
        private readonly List<(JToken Value, byte[] Array, int Start, int Length)> parts = new(8);

        public void Add(List<(JToken Value, int Start, int Length)> found, byte[] array)
        {
            lock (gate)
            {
                foreach (var (value, start, length) in found) parts.Add((value, array, start, length));
            }
        }

        /// <summary>Writes the frozen bytes of <paramref name="value"/> when it was frozen before; false when not.</summary>
        public bool TryCopy(JToken value, LayoutWriter writer)
        {
            (JToken Value, byte[] Array, int Start, int Length) part = default;
            lock (gate)
            {
                foreach (var candidate in parts)
                {
                    if (!ReferenceEquals(candidate.Value, value)) continue;
                    part = candidate;
                    break;
                }
            }
            if (part.Array is null) return false;
            writer.Write(part.Array, part.Start, part.Length);
            return true;
        }
    }

    public JToken Thaw()
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), System.Text.Encoding.UTF8);
        return Read(reader);
    }

    /// <summary>The first byte of each value. <see cref="Shared"/> appears only in the run store's file, never in memory:
    /// a reference to the same value stored earlier in the run (see <see cref="SharedValues"/>).</summary>
    internal enum Tag : byte
    {
        Object, Array, Null, Undefined, String, NullString, Int32, Int64, BigInteger, Double, Single, Decimal,
        Boolean, DateTime, DateTimeOffset, Guid, TimeSpan, Uri, Bytes, Shared,
    }

    // The token's Type, not type tests, picks the case: a type test against Newtonsoft's unsealed classes walks the
    // class hierarchy, and it was the largest single cost of freezing. Children are followed by their sibling links.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Write(LayoutWriter writer, JToken token, Parts? parts)
    {
        switch (token.Type)
        {
            case JTokenType.Object:
                var obj = (JObject)token;
                writer.Write((byte)Tag.Object);
                writer.Write(obj.Count);
                for (var child = obj.First; child is not null; child = child.Next)
                {
                    var property = Unsafe.As<JProperty>(child);
                    writer.Write(property.Name);
                    var propertyValue = property.Value;
                    if (parts is null)
                    {
                        if (!Write(writer, propertyValue, null)) return false;
                        continue;
                    }
                    // A borrowed value (its parent is another property) frozen before in the run: its bytes, not a walk.
                    if (!ReferenceEquals(propertyValue.Parent, property) && parts.TryCopy(propertyValue, writer)) continue;
                    var start = writer.Position;
                    if (!Write(writer, propertyValue, parts)) return false;
                    if (writer.Position - start >= Parts.Threshold) met!.Add((propertyValue, start, writer.Position - start));
                }
                return true;
            case JTokenType.Array:
                var array = (JArray)token;
                writer.Write((byte)Tag.Array);
                writer.Write(array.Count);
                for (var item = array.First; item is not null; item = item.Next)
                {
                    if (!Write(writer, item, parts)) return false;
                }
                return true;
            case JTokenType.Property or JTokenType.Constructor or JTokenType.Comment or JTokenType.Raw or JTokenType.None:
                return false;
            default:
                return token is JValue value && WriteValue(writer, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool WriteValue(LayoutWriter writer, JValue value)
    {
        switch (value.Type, value.Value)
        {
            case (JTokenType.Null, null): writer.Write((byte)Tag.Null); return true;
            case (JTokenType.Undefined, null): writer.Write((byte)Tag.Undefined); return true;
            case (JTokenType.String, null): writer.Write((byte)Tag.NullString); return true;
            case (JTokenType.String, string text): writer.Write((byte)Tag.String); writer.Write(text); return true;
            case (JTokenType.Integer, int number): writer.Write((byte)Tag.Int32); writer.Write(number); return true;
            case (JTokenType.Integer, long number): writer.Write((byte)Tag.Int64); writer.Write(number); return true;
            case (JTokenType.Integer, BigInteger number):
                var bytes = number.ToByteArray();
                writer.Write((byte)Tag.BigInteger);
                writer.Write(bytes.Length);
                writer.Write(bytes);
                return true;
            case (JTokenType.Float, double number): writer.Write((byte)Tag.Double); writer.Write(BitConverter.DoubleToInt64Bits(number)); return true;
            case (JTokenType.Float, float number): writer.Write((byte)Tag.Single); writer.Write(BitConverter.SingleToInt32Bits(number)); return true;
            case (JTokenType.Float, decimal number):
                writer.Write((byte)Tag.Decimal);
                Span<int> parts = stackalloc int[4];
                decimal.GetBits(number, parts);
                foreach (var part in parts) writer.Write(part);
                return true;
            case (JTokenType.Boolean, bool flag): writer.Write((byte)Tag.Boolean); writer.Write((byte)(flag ? 1 : 0)); return true;
            case (JTokenType.Date, DateTime time):
                writer.Write((byte)Tag.DateTime);
                writer.Write(time.ToBinary());
                return true;
            case (JTokenType.Date, DateTimeOffset time):
                writer.Write((byte)Tag.DateTimeOffset);
                writer.Write(time.Ticks);
                writer.Write(time.Offset.Ticks);
                return true;
            case (JTokenType.Guid, Guid id):
                writer.Write((byte)Tag.Guid);
                Span<byte> guid = stackalloc byte[16];
                id.TryWriteBytes(guid);
                writer.Write(guid);
                return true;
            case (JTokenType.TimeSpan, TimeSpan span): writer.Write((byte)Tag.TimeSpan); writer.Write(span.Ticks); return true;
            case (JTokenType.Uri, Uri uri): writer.Write((byte)Tag.Uri); writer.Write(uri.OriginalString); return true;
            case (JTokenType.Bytes, byte[] content):
                writer.Write((byte)Tag.Bytes);
                writer.Write(content.Length);
                writer.Write(content);
                return true;
            default:
                return false;
        }
    }

    private static JToken Read(BinaryReader reader)
    {
        var tag = (Tag)reader.ReadByte();
        switch (tag)
        {
            case Tag.Object:
            {
                var obj = new JObject();
                var count = reader.ReadInt32();
                for (var i = 0; i < count; i++)
                {
                    var name = reader.ReadString();
                    obj.Add(name, Read(reader));
                }
                return obj;
            }
            case Tag.Array:
            {
                var array = new JArray();
                var count = reader.ReadInt32();
                for (var i = 0; i < count; i++) array.Add(Read(reader));
                return array;
            }
            case Tag.Null: return JValue.CreateNull();
            case Tag.Undefined: return JValue.CreateUndefined();
            case Tag.NullString: return JValue.CreateString(null);
            case Tag.String: return JValue.CreateString(reader.ReadString());
            case Tag.Int32: return new JValue((object)reader.ReadInt32());
            case Tag.Int64: return new JValue(reader.ReadInt64());
            case Tag.BigInteger: return new JValue(new BigInteger(reader.ReadBytes(reader.ReadInt32())));
            case Tag.Double: return new JValue(reader.ReadDouble());
            case Tag.Single: return new JValue(reader.ReadSingle());
            case Tag.Decimal: return new JValue(reader.ReadDecimal());
            case Tag.Boolean: return new JValue(reader.ReadBoolean());
            case Tag.DateTime: return new JValue(DateTime.FromBinary(reader.ReadInt64()));
            case Tag.DateTimeOffset:
            {
                var ticks = reader.ReadInt64();
                return new JValue(new DateTimeOffset(ticks, new TimeSpan(reader.ReadInt64())));
            }
            case Tag.Guid: return new JValue(new Guid(reader.ReadBytes(16)));
            case Tag.TimeSpan: return new JValue(new TimeSpan(reader.ReadInt64()));
            case Tag.Uri: return new JValue(new Uri(reader.ReadString(), UriKind.RelativeOrAbsolute));
            case Tag.Bytes: return new JValue(reader.ReadBytes(reader.ReadInt32()));
            default: throw new InvalidDataException($"Unknown frozen JSON tag {tag}.");
        }
    }
}
