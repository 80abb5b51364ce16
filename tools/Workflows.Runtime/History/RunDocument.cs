using System.Runtime.CompilerServices;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.History;

/// <summary>
/// The binary form in which <see cref="SqliteRunStore"/> keeps a run: every field the portal's run view shows, inputs and
/// outputs as the history holds them (frozen values are written as they are, not thawed and serialized again), and for a
/// run still in progress its checkpoint (completed action records, variables, Waits in progress). Lossless: a run read
/// back shows and replays exactly what was written.
/// Version 2 lets a document point at records stored once beside it (<see cref="IStoredRecords"/>): the trigger and each
/// completed action record of a run in progress are written once, as rows of their own, and every later document of the
/// run (checkpoints, the finished run) refers to them instead of writing them again. Version 1 documents (every record
/// inline, untagged) are still read.
/// Version 3 writes the strings a definition decides (names, types, codes, skip messages) as their number in the store's
/// <see cref="RunStrings"/>, counts as 7-bit numbers, tracking ids that are GUIDs as their 16 bytes, and a record's client
/// tracking id, when it is the run's, as one byte; its records are written in the same layout (a version 3 document only
/// ever refers to records its own process wrote, so to version 3 records: a resumed run stores its records again).
/// </summary>
internal static class RunDocument
{
    private const byte Version1 = 1, Version2 = 2, Version = 3;
    private const byte Finished = 0, InProgress = 1;
    private const byte InlineRecord = 0, StoredRecord = 1;

    [ThreadStatic] private static LayoutWriter? buffer;

    // The run's shared values while one of its documents or records is written (and the row it lands in), and where a
    // document being read finds the rows its values refer to: set for one call on one thread.
    [ThreadStatic] private static SharedValues? sharing;
    [ThreadStatic] private static int sharingRow;
    [ThreadStatic] private static Func<int, byte[]>? sharedRows;

    // The layout a document and its records are written in or read with (see Version): set for one call on one thread.
    [ThreadStatic] private static RunStrings? writeStrings;
    [ThreadStatic] private static string? writeRunTracking;
    [ThreadStatic] private static Layout? reading;

    /// <summary>How the document being read (and its records) was written.</summary>
    private sealed class Layout(byte version, RunStrings? strings)
    {
        public bool Compact { get; } = version >= 3;
        public string? RunTracking { get; set; }

        public string Text(int number) => strings?.Text(number)
            ?? throw new InvalidDataException($"A run document refers to string {number}, and it was read without the run store's strings.");
    }

    /// <summary>The records of one run already stored beside its document, by the object they were written from.</summary>
    internal interface IStoredRecords
    {
        /// <summary>The stored record's number, or -1 when <paramref name="record"/> is not stored.</summary>
        int NumberOf(object record);
    }

    /// <summary>A finished run, or (with <paramref name="checkpoint"/>) the state of one in progress; records found in
    /// <paramref name="stored"/> are written as references to them.</summary>
    public static byte[] Write(WorkflowRun run, RunCheckpoint? checkpoint = null, IStoredRecords? stored = null, SharedValues? shared = null, RunStrings? strings = null) =>
        WriteInBuffer(run, checkpoint, stored, shared, strings).ToArray();

    /// <summary>As <see cref="Write"/>, in the thread's buffer: the bytes are valid until the next document or record is
    /// written on this thread (the run store binds them to its statement at once, without a copy).</summary>
    public static ReadOnlySpan<byte> WriteInBuffer(WorkflowRun run, RunCheckpoint? checkpoint = null, IStoredRecords? stored = null, SharedValues? shared = null, RunStrings? strings = null) =>
        Serialize(shared, SharedValues.DocumentRow, strings, run, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (writer) =>
        {
            writer.Write(Version);
            writer.Write(checkpoint is null ? Finished : InProgress);
            writer.Write(run.Id);
            WriteName(writer, run.WorkflowName);
            writer.Write((byte)(checkpoint is null ? run.Status : WorkflowStatus.Running));
            writer.Write(run.ClientTrackingId);
            WriteTime(writer, run.StartTime);
            WriteTime(writer, checkpoint is null ? run.EndTime : null);
            WriteString(writer, run.ResubmittedFrom);
            WriteJson(writer, run.Error, null);
            WriteResponse(writer, run.Response);
            if (Reference(writer, run.Trigger, stored)) WriteTrigger(writer, run.Trigger);
            var actions = checkpoint?.Completed ?? run.StoredActions();
            writer.WriteCount(actions.Count);
            foreach (var action in actions) WriteTaggedAction(writer, action, withRepetitions: checkpoint is null, stored);
            if (checkpoint is not null)
            {
                writer.WriteCount(checkpoint.Variables.Count);
                foreach (var variable in checkpoint.Variables)
                {
                    WriteName(writer, variable.Name);
                    writer.Write((byte)variable.Type);
                    WriteJson(writer, variable.Value, null);
                }
                writer.WriteCount(checkpoint.Waits.Count);
                foreach (var (key, end) in checkpoint.Waits)
                {
                    writer.Write(key);
                    WriteTime(writer, end);
                }
            }
        });

    /// <summary>A trigger record to store once beside its run's documents.</summary>
    public static byte[] WriteRecord(WorkflowRun run, TriggerRun trigger, SharedValues? shared = null, int number = 0, RunStrings? strings = null) =>
        WriteRecordInBuffer(run, trigger, shared, number, strings).ToArray();

    /// <summary>A completed action record of <paramref name="run"/> (no repetitions of its own) to store once beside its documents.</summary>
    public static byte[] WriteRecord(WorkflowRun run, ActionRun action, SharedValues? shared = null, int number = 0, RunStrings? strings = null) =>
        WriteRecordInBuffer(run, action, shared, number, strings).ToArray();

    /// <summary>As <see cref="WriteRecord(WorkflowRun, TriggerRun, SharedValues?, int, RunStrings?)"/>, in the thread's buffer (see <see cref="WriteInBuffer"/>).</summary>
    public static ReadOnlySpan<byte> WriteRecordInBuffer(WorkflowRun run, TriggerRun trigger, SharedValues? shared = null, int number = 0, RunStrings? strings = null) =>
        Serialize(shared, number, strings, run, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (writer) => WriteTrigger(writer, trigger));

    /// <summary>As <see cref="WriteRecord(WorkflowRun, ActionRun, SharedValues?, int, RunStrings?)"/>, in the thread's buffer (see <see cref="WriteInBuffer"/>).</summary>
    public static ReadOnlySpan<byte> WriteRecordInBuffer(WorkflowRun run, ActionRun action, SharedValues? shared = null, int number = 0, RunStrings? strings = null) =>
        Serialize(shared, number, strings, run, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (writer) => WriteAction(writer, action, withRepetitions: false, stored: null));

    /// <summary>True when the document carries a version that may refer to stored records.</summary>
    public static bool MayReferToRecords(byte[] data) => data.Length > 0 && data[0] >= Version2;

    /// <summary>The run id a document is for (read from its header).</summary>
    public static string IdOf(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
        reader.ReadByte();
        reader.ReadByte();
        return reader.ReadString();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> Serialize(SharedValues? shared, int row, RunStrings? strings, WorkflowRun run, Action<LayoutWriter> write)
    {
        var writer = buffer ??= new LayoutWriter();
        writer.Reset();
        (sharing, sharingRow) = (shared, row);
        (writeStrings, writeRunTracking) = (strings, run.ClientTrackingId);
        using var parts = FrozenJson.Freezing(run.FrozenParts);
        try
        {
            write(writer);
        }
        finally
        {
            sharing = null;
            (writeStrings, writeRunTracking) = (null, null);
            if (row == SharedValues.DocumentRow) shared?.EndDocument();
        }
        // A rare huge run: don't keep its buffer for the thread's lifetime (the span still holds it until used).
        if (writer.Capacity > 4 << 20) buffer = null;
        return writer.Written;
    }

    /// <summary>Writes the tag saying where the record is; false when it is a reference (nothing more to write).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Reference(LayoutWriter writer, object record, IStoredRecords? stored)
    {
        var number = stored?.NumberOf(record) ?? -1;
        if (number < 0)
        {
            writer.Write(InlineRecord);
            return true;
        }
        writer.Write(StoredRecord);
        writer.WriteCount(number);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTaggedAction(LayoutWriter writer, ActionRun action, bool withRepetitions, IStoredRecords? stored)
    {
        // A stored record was written without repetitions: one that has some is written whole.
        if (withRepetitions && action.RepetitionCount > 0)
        {
            writer.Write(InlineRecord);
            WriteAction(writer, action, withRepetitions, stored);
        }
        else if (Reference(writer, action, stored))
        {
            WriteAction(writer, action, withRepetitions, stored);
        }
    }

    /// <summary>The run (finished, or Running with its checkpoint). <paramref name="records"/> gives the records stored
    /// beside the document by number (needed for version 2 documents that refer to some).</summary>
    public static (WorkflowRun Run, RunCheckpoint? Checkpoint) Read(byte[] data, Func<int, byte[]>? records = null, RunStrings? strings = null)
    {
        var (previous, previousLayout) = (sharedRows, reading);
        sharedRows = number => number == SharedValues.DocumentRow ? data
            : records?.Invoke(number) ?? throw new InvalidDataException($"The run document refers to stored record {number}, and none were read with it.");
        reading = new Layout(data.Length > 0 ? data[0] : (byte)0, strings);
        try
        {
            return ReadDocument(data, records);
        }
        finally
        {
            (sharedRows, reading) = (previous, previousLayout);
        }
    }

    private static (WorkflowRun Run, RunCheckpoint? Checkpoint) ReadDocument(byte[] data, Func<int, byte[]>? records)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version is not (Version1 or Version2 or Version)) throw new InvalidDataException($"Run document version {version} is not supported (expected {Version1} to {Version}).");
        var source = new RecordSource(version >= Version2, records);
        var kind = reader.ReadByte();
        var id = reader.ReadString();
        var workflow = ReadName(reader);
        var status = (WorkflowStatus)reader.ReadByte();
        var clientTrackingId = reader.ReadString();
        reading!.RunTracking = clientTrackingId;
        var start = ReadTime(reader)!.Value;
        var end = ReadTime(reader);
        var resubmittedFrom = ReadString(reader);
        var error = ReadJson(reader).Thaw() as JObject;
        var response = ReadResponse(reader);
        var trigger = source.Stored(reader) is { } storedTrigger ? ReadTrigger(Open(storedTrigger)) : ReadTrigger(reader);
        var count = ReadCount(reader);
        var actions = new List<ActionRun>(count);
        for (var i = 0; i < count; i++) actions.Add(ReadTaggedAction(reader, source));

        if (kind == Finished)
        {
            return (WorkflowRun.Restore(id, workflow, trigger, start, clientTrackingId, status, end, error, response, resubmittedFrom, actions), null);
        }
        var variables = new List<CheckpointVariable>();
        for (var i = ReadCount(reader); i > 0; i--)
        {
            var name = ReadName(reader);
            var type = (VariableType)reader.ReadByte();
            variables.Add(new CheckpointVariable(name, type, ReadJson(reader).Thaw() ?? JValue.CreateNull()));
        }
        var waits = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        for (var i = ReadCount(reader); i > 0; i--) waits[reader.ReadString()] = ReadTime(reader)!.Value;

        // The history shows the run with its completed actions; repetitions are gathered under their action, in order.
        var shown = new Dictionary<string, ActionRun>(StringComparer.Ordinal);
        var aggregates = new Dictionary<string, ActionRun>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.RepetitionIndexes.Count == 0)
            {
                shown[action.Name] = action;
                continue;
            }
            if (!aggregates.TryGetValue(action.Name, out var aggregate))
            {
                aggregate = ActionRun.Restore(action.Name, action.Type, action.Status, action.Code, action.StartTime, action.EndTime, action.TrackingId,
                    action.ClientTrackingId, (null, null), (null, null), false, false, (null, null, null), [], null, [], null, [], completed: false);
                aggregates[action.Name] = shown[action.Name] = aggregate;
            }
            aggregate.AddRepetition(action);
        }
        var run = WorkflowRun.Restore(id, workflow, trigger, start, clientTrackingId, WorkflowStatus.Running, null, error, response, resubmittedFrom, shown.Values);
        return (run, new RunCheckpoint(run, actions, variables, waits));
    }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTrigger(LayoutWriter writer, TriggerRun trigger)
    {
        WriteName(writer, trigger.Name);
        WriteName(writer, trigger.Type);
        var (inputs, frozenInputs) = trigger.StoredInputs;
        var (outputs, frozenOutputs) = trigger.StoredOutputs;
        WriteJson(writer, inputs, frozenInputs);
        WriteJson(writer, outputs, frozenOutputs);
        WriteTime(writer, trigger.StartTime);
        WriteTrackingId(writer, trigger.TrackingId);
        writer.Write(trigger.InputsSecured);
        writer.Write(trigger.OutputsSecured);
        WriteTime(writer, trigger.ScheduledTime);
        WriteClientTrackingId(writer, trigger.ClientTrackingId);
    }

    private static TriggerRun ReadTrigger(BinaryReader reader)
    {
        var name = ReadName(reader);
        var type = ReadName(reader);
        var inputs = ReadJson(reader);
        var outputs = ReadJson(reader);
        var start = ReadTime(reader)!.Value;
        var trackingId = ReadTrackingId(reader);
        var secureInputs = reader.ReadBoolean();
        var secureOutputs = reader.ReadBoolean();
        var scheduled = ReadTime(reader);
        var clientTrackingId = ReadClientTrackingId(reader);
        return TriggerRun.Restore(name, type, inputs.Stored, outputs.Stored, start, trackingId, secureInputs, secureOutputs, scheduled, clientTrackingId);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteAction(LayoutWriter writer, ActionRun action, bool withRepetitions, IStoredRecords? stored)
    {
        WriteName(writer, action.Name);
        WriteName(writer, action.Type);
        writer.Write((byte)action.Status);
        WriteName(writer, action.Code);
        WriteTime(writer, action.StartTime);
        WriteTime(writer, action.EndTime);
        WriteTrackingId(writer, action.TrackingId);
        WriteClientTrackingId(writer, action.ClientTrackingId);
        var (inputs, frozenInputs) = action.StoredInputs;
        var (outputs, frozenOutputs) = action.StoredOutputs;
        WriteJson(writer, inputs, frozenInputs);
        WriteJson(writer, outputs, frozenOutputs);
        writer.Write(action.InputsSecured);
        writer.Write(action.OutputsSecured);
        var (error, skippedCode, skippedMessage) = action.StoredError;
        if (skippedCode is not null)
        {
            writer.Write((byte)2);
            WriteName(writer, skippedCode);
            WriteName(writer, skippedMessage ?? "");
        }
        else
        {
            writer.Write((byte)1);
            WriteJson(writer, error, null);
        }
        writer.WriteCount(action.RetryHistory.Count);
        foreach (var attempt in action.RetryHistory)
        {
            WriteTime(writer, attempt.StartTime);
            WriteTime(writer, attempt.EndTime);
            WriteName(writer, attempt.Code);
            writer.Write(attempt.ClientRequestId);
            WriteJson(writer, attempt.Error, null);
        }
        WriteJson(writer, action.TrackedProperties, null);
        writer.WriteCount(action.RepetitionIndexes.Count);
        foreach (var index in action.RepetitionIndexes)
        {
            WriteName(writer, index.ScopeName);
            writer.WriteCount(index.ItemIndex);
        }
        writer.WriteCount((action.IterationCount ?? -1) + 1);
        writer.Write(action.IsCompleted);
        var repetitions = withRepetitions && action.RepetitionCount > 0 ? action.Repetitions : [];
        writer.WriteCount(repetitions.Count);
        foreach (var repetition in repetitions) WriteTaggedAction(writer, repetition, withRepetitions: true, stored);
    }

    private static ActionRun ReadTaggedAction(BinaryReader reader, RecordSource source) =>
        source.Stored(reader) is { } stored ? ReadAction(Open(stored), source) : ReadAction(reader, source);

    private static BinaryReader Open(byte[] record) => new(new MemoryStream(record, writable: false), Encoding.UTF8);

    /// <summary>Where a version 2 document's references lead.</summary>
    private readonly struct RecordSource(bool tagged, Func<int, byte[]>? records)
    {
        /// <summary>Reads a record's tag (version 2): the stored record it refers to, or null when the record follows inline.</summary>
        public byte[]? Stored(BinaryReader reader)
        {
            if (!tagged) return null;
            switch (reader.ReadByte())
            {
                case InlineRecord:
                    return null;
                case StoredRecord:
                    var number = ReadCount(reader);
                    if (records is null) throw new InvalidDataException($"The run document refers to stored record {number}, and none were read with it.");
                    return records(number);
                default:
                    throw new InvalidDataException("Unknown record tag in a run document.");
            }
        }
    }

    private static ActionRun ReadAction(BinaryReader reader, RecordSource source)
    {
        var name = ReadName(reader);
        var type = ReadName(reader);
        var status = (WorkflowStatus)reader.ReadByte();
        var code = ReadName(reader);
        var start = ReadTime(reader)!.Value;
        var end = ReadTime(reader);
        var trackingId = ReadTrackingId(reader);
        var clientTrackingId = ReadClientTrackingId(reader);
        var inputs = ReadJson(reader);
        var outputs = ReadJson(reader);
        var inputsSecured = reader.ReadBoolean();
        var outputsSecured = reader.ReadBoolean();
        (JObject?, string?, string?) error = reader.ReadByte() == 2
            ? (null, ReadName(reader), ReadName(reader))
            : (ReadJson(reader).Thaw() as JObject, null, null);
        var retries = new List<RetryAttempt>();
        for (var i = ReadCount(reader); i > 0; i--)
        {
            var attemptStart = ReadTime(reader)!.Value;
            var attemptEnd = ReadTime(reader)!.Value;
            retries.Add(new RetryAttempt(attemptStart, attemptEnd, ReadName(reader), reader.ReadString(), ReadJson(reader).Thaw() as JObject));
        }
        var tracked = ReadJson(reader).Thaw() as JObject;
        var indexes = new List<RepetitionIndex>();
        for (var i = ReadCount(reader); i > 0; i--) indexes.Add(new RepetitionIndex(ReadName(reader), ReadCount(reader)));
        var iterations = reading!.Compact ? ReadCount(reader) - 1 : reader.ReadInt32();
        var completed = reader.ReadBoolean();
        var repetitions = new List<ActionRun>();
        for (var i = ReadCount(reader); i > 0; i--) repetitions.Add(ReadTaggedAction(reader, source));
        return ActionRun.Restore(name, type, status, code, start, end, trackingId, clientTrackingId, inputs.Stored, outputs.Stored, inputsSecured, outputsSecured,
            error, retries, tracked, indexes, iterations < 0 ? null : iterations, repetitions, completed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteResponse(LayoutWriter writer, RunResponse? response)
    {
        writer.Write(response is not null);
        if (response is null) return;
        writer.Write(response.StatusCode);
        WriteJson(writer, response.Headers, null);
        WriteJson(writer, response.Body, null);
    }

    private static RunResponse? ReadResponse(BinaryReader reader)
    {
        if (!reader.ReadBoolean()) return null;
        var status = reader.ReadInt32();
        var headers = ReadJson(reader).Thaw() as JObject ?? new JObject();
        return new RunResponse(status, headers, ReadJson(reader).Thaw());
    }

    private const byte NoValue = 0, FrozenValue = 1, TextValue = 2, SharingValue = 3;

    /// <summary>A JSON value: absent, the history's frozen form (as it is), or text when a value can't be frozen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteJson(LayoutWriter writer, JToken? value, FrozenJson? frozen)
    {
        frozen ??= value is null ? null : FrozenJson.TryFreeze(value);
        if (frozen is not null && sharing is not null && frozen.Length >= SharedValues.Threshold)
        {
            // Its length is known once its values already stored in the run are written as references.
            writer.Write(SharingValue);
            var lengthAt = writer.Position;
            writer.Write(0);
            sharing.Write(writer, frozen.Array, sharingRow);
            writer.WriteInt32At(lengthAt, writer.Position - lengthAt - sizeof(int));
        }
        else if (frozen is not null)
        {
            writer.Write(FrozenValue);
            writer.Write(frozen.Length);
            writer.Write(frozen.Bytes);
        }
        else if (value is null)
        {
            writer.Write(NoValue);
        }
        else
        {
            writer.Write(TextValue);
            writer.Write(value.ToString(Formatting.None));
        }
    }

    private static StoredJson ReadJson(BinaryReader reader)
    {
        switch (reader.ReadByte())
        {
            case NoValue:
                return default;
            case FrozenValue:
                return new StoredJson(null, FrozenJson.FromBytes(reader.ReadBytes(reader.ReadInt32())));
            case SharingValue:
                var rows = sharedRows ?? throw new InvalidDataException("A run document's shared value was read without its document.");
                return new StoredJson(null, FrozenJson.FromBytes(SharedValues.Expand(reader.ReadBytes(reader.ReadInt32()), rows)));
            case TextValue:
                using (var text = new JsonTextReader(new StringReader(reader.ReadString())) { DateParseHandling = DateParseHandling.None })
                {
                    return new StoredJson(JToken.ReadFrom(text), null);
                }
            default:
                throw new InvalidDataException("Unknown JSON value tag in a run document.");
        }
    }

    /// <summary>A value as read: a token, or its frozen form thawed only when someone looks.</summary>
    private readonly record struct StoredJson(JToken? Value, FrozenJson? Frozen)
    {
        public (JToken?, FrozenJson?) Stored => (Value, Frozen);

        public JToken? Thaw() => Value ?? Frozen?.Thaw();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTime(LayoutWriter writer, DateTimeOffset? time)
    {
        writer.Write(time.HasValue);
        if (!time.HasValue) return;
        writer.Write(time.Value.UtcTicks);
        writer.Write((short)time.Value.Offset.TotalMinutes);
    }

    private static DateTimeOffset? ReadTime(BinaryReader reader)
    {
        if (!reader.ReadBoolean()) return null;
        var ticks = reader.ReadInt64();
        var offset = TimeSpan.FromMinutes(reader.ReadInt16());
        return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteString(LayoutWriter writer, string? text)
    {
        writer.Write(text is not null);
        if (text is not null) writer.Write(text);
    }

    private static string? ReadString(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    /// <summary>A string the definition decides: its number in the store's strings plus one, or 0 and the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteName(LayoutWriter writer, string text)
    {
        var number = writeStrings?.NumberOf(text) ?? -1;
        writer.WriteCount(number + 1);
        if (number < 0) writer.Write(text);
    }

    private static string ReadName(BinaryReader reader)
    {
        if (!reading!.Compact) return reader.ReadString();
        var number = reader.Read7BitEncodedInt();
        return number == 0 ? reader.ReadString() : reading.Text(number - 1);
    }

    private static int ReadCount(BinaryReader reader) => reading!.Compact ? reader.Read7BitEncodedInt() : reader.ReadInt32();

    private const byte TextId = 0, GuidId = 1;

    /// <summary>A tracking id: a GUID as the engine makes them (lowercase, hyphens) as its 16 bytes, anything else as text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTrackingId(LayoutWriter writer, string id)
    {
        if (id.Length == 36 && !id.AsSpan().ContainsAnyInRange('A', 'Z') && Guid.TryParseExact(id, "D", out var guid))
        {
            writer.Write(GuidId);
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes);
            writer.Write(bytes);
            return;
        }
        writer.Write(TextId);
        writer.Write(id);
    }

    private static string ReadTrackingId(BinaryReader reader)
    {
        if (!reading!.Compact) return reader.ReadString();
        return reader.ReadByte() switch
        {
            GuidId => new Guid(reader.ReadBytes(16)).ToString("D"),
            TextId => reader.ReadString(),
            _ => throw new InvalidDataException("Unknown tracking id tag in a run document."),
        };
    }

    private const byte RunsTrackingId = 0, OwnTrackingId = 1;

    /// <summary>A record's client tracking id: one byte when it is its run's (it nearly always is), else the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteClientTrackingId(LayoutWriter writer, string id)
    {
        if (string.Equals(id, writeRunTracking, StringComparison.Ordinal))
        {
            writer.Write(RunsTrackingId);
            return;
        }
        writer.Write(OwnTrackingId);
        writer.Write(id);
    }

    private static string ReadClientTrackingId(BinaryReader reader)
    {
        if (!reading!.Compact) return reader.ReadString();
        return reader.ReadByte() switch
        {
            RunsTrackingId => reading.RunTracking ?? throw new InvalidDataException("A run record refers to its run's client tracking id, read without its run."),
            OwnTrackingId => reader.ReadString(),
            _ => throw new InvalidDataException("Unknown client tracking id tag in a run document."),
        };
    }
}
