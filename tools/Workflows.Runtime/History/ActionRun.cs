using System.Runtime.CompilerServices;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.History;

/// <summary>
/// One action of a run as the portal shows it: status, code, inputs, outputs, error, times, retry history,
/// tracked properties. An action inside a For each or Until has one <see cref="Repetitions"/> entry per
/// iteration; its own fields then show the repetition that finished last.
/// Inputs and outputs hidden by <c>runtimeConfiguration.secureData</c> read as <see cref="SecureDataMarker"/>.
/// </summary>
public sealed class ActionRun
{
    /// <summary>What run history shows instead of secured inputs or outputs.</summary>
    public static readonly JToken SecureDataMarker =
        new JObject { ["$secureData"] = "Content not shown due to security configuration." };

    private readonly List<ActionRun> repetitions = [];
    private JObject? record;

    internal ActionRun(string name, string type, string trackingId, string clientTrackingId, DateTimeOffset startTime)
    {
        Name = name;
        Type = type;
        TrackingId = trackingId;
        ClientTrackingId = clientTrackingId;
        StartTime = startTime;
    }

    public string Name { get; }

    /// <summary>The action's <c>type</c> (Compose, Http, ServiceProvider, ...).</summary>
    public string Type { get; }

    public WorkflowStatus Status { get; internal set; } = WorkflowStatus.Running;

    /// <summary><c>OK</c>, <c>NotFound</c>, <c>ActionSkipped</c>, <c>ActionFailed</c>, <c>NotSpecified</c>, ...</summary>
    public string Code { get; internal set; } = "NotSpecified";

    /// <remarks>Once the run has finished, each read gives a fresh copy of the kept (frozen) value.</remarks>
    public JToken? Inputs
    {
        get { lock (repetitions) return FrozenValue.Shown(InputsSecured, rawInputs, frozenInputs); }
    }

    /// <remarks>Once the run has finished, each read gives a fresh copy of the kept (frozen) value.</remarks>
    public JToken? Outputs
    {
        get { lock (repetitions) return FrozenValue.Shown(OutputsSecured, rawOutputs, frozenOutputs); }
    }

    /// <summary><c>{ code, message }</c> for failed, skipped and timed-out actions.</summary>
    public JObject? Error
    {
        get
        {
            // A skipped action's error is made when someone looks: most never are, and runs keep every record.
            if (error is null && skippedCode is not null) error = new JObject { ["code"] = skippedCode, ["message"] = skippedMessage };
            return error;
        }
        internal set
        {
            error = value;
            skippedCode = skippedMessage = null;
        }
    }

    private JObject? error;
    private string? skippedCode, skippedMessage;

    /// <summary>Sets <see cref="Error"/> to <c>{ code, message }</c>, built only when it is read.</summary>
    internal void SetError(string code, string message)
    {
        error = null;
        skippedCode = code;
        skippedMessage = message;
    }

    public DateTimeOffset StartTime { get; internal set; }

    public DateTimeOffset? EndTime { get; internal set; }

    public string TrackingId { get; internal set; }

    public string ClientTrackingId { get; }

    /// <summary>Every attempt that was retried (HTTP and connector actions with a retry policy).</summary>
    public IReadOnlyList<RetryAttempt> RetryHistory { get; internal set; } = [];

    public JObject? TrackedProperties { get; internal set; }

    /// <summary>For an action inside loops: its loop position (<c>scopeName</c>, <c>itemIndex</c>), outermost first.</summary>
    public IReadOnlyList<RepetitionIndex> RepetitionIndexes { get; internal set; } = [];

    /// <summary>For an action inside loops: one record per iteration, in the order they finished.</summary>
    public IReadOnlyList<ActionRun> Repetitions
    {
        get { lock (repetitions) return repetitions.ToArray(); }
    }

    /// <summary>How many <see cref="Repetitions"/> there are, without copying them (the run store asks for every record it writes).</summary>
    internal int RepetitionCount
    {
        get { lock (repetitions) return repetitions.Count; }
    }

    /// <summary>For a For each or Until: how many iterations ran.</summary>
    public int? IterationCount { get; internal set; }

    internal JToken? RawInputs
    {
        get { lock (repetitions) return FrozenValue.Get(ref rawInputs, ref frozenInputs); }
        set { lock (repetitions) FrozenValue.Set(ref rawInputs, ref frozenInputs, value); }
    }

    internal JToken? RawOutputs
    {
        get { lock (repetitions) return FrozenValue.Get(ref rawOutputs, ref frozenOutputs); }
        set { lock (repetitions) FrozenValue.Set(ref rawOutputs, ref frozenOutputs, value); }
    }

    private JToken? rawInputs, rawOutputs;
    private FrozenJson? frozenInputs, frozenOutputs;
    internal bool InputsSecured { get; set; }
    internal bool OutputsSecured { get; set; }

    /// <summary>True once the engine finished this record (ran, failed or skipped it): only completed records are part
    /// of a checkpoint. A record whose run was interrupted while it executed never completes; a resume runs it again.</summary>
    internal bool IsCompleted { get; set; }

    /// <summary>The inputs as the run store writes them: frozen (the form made for the store is kept, so the next document
    /// and the run's end reuse it), or a live token that can't be frozen.</summary>
    internal (JToken? Value, FrozenJson? Frozen) StoredInputs
    {
        get { lock (repetitions) return FrozenValue.ForStore(rawInputs, frozenInputs, ref writtenInputs); }
    }

    /// <summary>The outputs as the run store writes them (see <see cref="StoredInputs"/>).</summary>
    internal (JToken? Value, FrozenJson? Frozen) StoredOutputs
    {
        get { lock (repetitions) return FrozenValue.ForStore(rawOutputs, frozenOutputs, ref writtenOutputs); }
    }

    private FrozenValue.Made writtenInputs, writtenOutputs;

    /// <summary>The error as kept: a skipped action's code and message are turned into an object only when read.</summary>
    internal (JObject? Error, string? SkippedCode, string? SkippedMessage) StoredError => (error, skippedCode, skippedMessage);

    /// <summary>A record read back from the run store, values still frozen (thawed when first read).</summary>
    internal static ActionRun Restore(
        string name, string type, WorkflowStatus status, string code, DateTimeOffset startTime, DateTimeOffset? endTime, string trackingId, string clientTrackingId,
        (JToken? Value, FrozenJson? Frozen) inputs, (JToken? Value, FrozenJson? Frozen) outputs, bool inputsSecured, bool outputsSecured,
        (JObject? Error, string? SkippedCode, string? SkippedMessage) error, IReadOnlyList<RetryAttempt> retryHistory, JObject? trackedProperties,
        IReadOnlyList<RepetitionIndex> repetitionIndexes, int? iterationCount, IReadOnlyList<ActionRun> repetitions, bool completed)
    {
        var record = new ActionRun(name, type, trackingId, clientTrackingId, startTime)
        {
            Status = status,
            Code = code,
            EndTime = endTime,
            InputsSecured = inputsSecured,
            OutputsSecured = outputsSecured,
            RetryHistory = retryHistory,
            TrackedProperties = trackedProperties,
            RepetitionIndexes = repetitionIndexes,
            IterationCount = iterationCount,
            IsCompleted = completed,
        };
        (record.rawInputs, record.frozenInputs) = inputs;
        (record.rawOutputs, record.frozenOutputs) = outputs;
        (record.error, record.skippedCode, record.skippedMessage) = error;
        record.repetitions.AddRange(repetitions);
        return record;
    }

    /// <summary>Sets <see cref="TrackedProperties"/>; a record already built is updated in place (rebuilding it
    /// would clone the inputs and outputs it already holds).</summary>
    internal void SetTrackedProperties(JObject? trackedProperties)
    {
        TrackedProperties = trackedProperties;
        if (record is null) return;
        if (trackedProperties is null) record.Remove("trackedProperties");
        else record["trackedProperties"] = trackedProperties;
    }

    /// <summary>
    /// Once the run has finished no expression reads records any more: the record built for them is let go, and the
    /// inputs, outputs and error it held are detached from it (the history keeps only the values). A record that an
    /// expression stored inside another action's inputs or outputs is left alone.
    /// </summary>
    internal void ReleaseRecord(bool heldElsewhere = false)
    {
        var built = record;
        if (built is not null && built.Parent is null && !heldElsewhere)
        {
            record = null;
            DetachValues(built);
        }
        lock (repetitions)
        {
            FrozenValue.Freeze(ref rawInputs, ref frozenInputs, ref writtenInputs);
            FrozenValue.Freeze(ref rawOutputs, ref frozenOutputs, ref writtenOutputs);
        }
    }

    /// <summary>The record built for expressions, if any (see <see cref="ReleaseRecord"/>).</summary>
    internal JObject? BuiltRecord => record;

    /// <summary>Whether this action's inputs or outputs are <paramref name="value"/> itself, e.g. a Compose whose inputs
    /// are <c>@actions('X')</c>: that record must keep its values when the run finishes.</summary>
    internal bool HoldsAsWholeValue(JToken value)
    {
        lock (repetitions) return ReferenceEquals(rawInputs, value) || ReferenceEquals(rawOutputs, value);
    }

    /// <summary>Gives the values a record adopted their parent back (none), so the record is not kept alive through them.</summary>
    internal static void DetachValues(JObject built)
    {
        foreach (var name in AdoptedValues)
        {
            if (built.Property(name, StringComparison.Ordinal) is { } property && property.Value.Type != JTokenType.Null) property.Value = JValue.CreateNull();
        }
    }

    private static readonly string[] AdoptedValues = ["inputs", "outputs", "error", "trackedProperties"];

    internal void AddRepetition(ActionRun repetition)
    {
        lock (repetitions)
        {
            repetitions.Add(repetition);
            Status = repetition.Status;
            Code = repetition.Code;
            RawInputs = repetition.RawInputs;
            RawOutputs = repetition.RawOutputs;
            InputsSecured = repetition.InputsSecured;
            OutputsSecured = repetition.OutputsSecured;
            Error = repetition.Error;
            if (repetitions.Count == 1) StartTime = repetition.StartTime;
            EndTime = repetition.EndTime;
            TrackingId = repetition.TrackingId;
            RetryHistory = repetition.RetryHistory;
            TrackedProperties = repetition.TrackedProperties;
            IterationCount = repetition.IterationCount;
            record = null;
        }
    }

    /// <summary>The record expressions see through <c>actions()</c>, <c>body()</c>, <c>result()</c>: real values, never redacted.</summary>
    internal JObject ToRecord()
    {
        var cached = record;
        if (cached is not null) return cached;
        var built = new JObject
        {
            ["name"] = Name,
            ["inputs"] = Adoptable(RawInputs),
            ["outputs"] = Adoptable(RawOutputs),
            ["startTime"] = Timestamps.Format(StartTime),
            ["endTime"] = EndTime is { } end ? Timestamps.Format(end) : null,
            ["trackingId"] = TrackingId,
            ["clientTrackingId"] = ClientTrackingId,
            ["code"] = Code,
            ["status"] = Status.ToString(),
        };
        if (Error is not null) built["error"] = Error;
        if (TrackedProperties is not null) built["trackedProperties"] = TrackedProperties;
        if (IterationCount is { } count) built["repetitionCount"] = count;
        if (Status.IsFinished()) record = built;
        return built;
    }

    internal static JToken? Adoptable(JToken? value) => value is null ? null : JsonTree.Adoptable(value);

    /// <summary>The run-history view (secured values redacted), as the CLI prints it.</summary>
    public JObject ToJson()
    {
        var json = new JObject
        {
            ["type"] = Type,
            ["status"] = Status.ToString(),
            ["code"] = Code,
            ["startTime"] = Timestamps.Format(StartTime),
            ["endTime"] = EndTime is { } end ? Timestamps.Format(end) : null,
            ["trackingId"] = TrackingId,
            ["clientTrackingId"] = ClientTrackingId,
        };
        lock (repetitions)
        {
            if (FrozenValue.Copy(InputsSecured, rawInputs, frozenInputs) is { } inputs) json["inputs"] = inputs;
            if (FrozenValue.Copy(OutputsSecured, rawOutputs, frozenOutputs) is { } outputs) json["outputs"] = outputs;
        }
        if (Error is not null) json["error"] = Error.DeepClone();
        if (RetryHistory.Count > 0) json["retryHistory"] = new JArray(RetryHistory.Select(r => r.ToJson()));
        if (TrackedProperties is not null) json["trackedProperties"] = TrackedProperties.DeepClone();
        if (IterationCount is { } count) json["repetitionCount"] = count;
        if (RepetitionIndexes.Count > 0)
            json["repetitionIndexes"] = new JArray(RepetitionIndexes.Select(r => new JObject { ["scopeName"] = r.ScopeName, ["itemIndex"] = r.ItemIndex }));
        var all = Repetitions;
        if (all.Count > 0) json["repetitions"] = new JArray(all.Select(r => r.ToJson()));
        return json;
    }

    public override string ToString() => $"{Name}: {Status} ({Code})";
}

/// <summary>Where a repetition sits: the loop's name and the 0-based iteration.</summary>
public sealed record RepetitionIndex(string ScopeName, int ItemIndex);

/// <summary>One retried attempt (Azure's <c>retryHistory</c> entry).</summary>
public sealed record RetryAttempt(DateTimeOffset StartTime, DateTimeOffset EndTime, string Code, string ClientRequestId, JObject? Error)
{
    public JObject ToJson()
    {
        var json = new JObject
        {
            ["startTime"] = Timestamps.Format(StartTime),
            ["endTime"] = Timestamps.Format(EndTime),
            ["code"] = Code,
            ["clientRequestId"] = ClientRequestId,
        };
        if (Error is not null) json["error"] = Error.DeepClone();
        return json;
    }
}

internal static class Timestamps
{
    /// <summary>Logic Apps writes times as round-trip UTC with 7 fractional digits.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A GUID-shaped tracking id without the cost of cryptographic randomness.</summary>
    public static string NewTrackingId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}

/// <summary>A value the history keeps either as tokens (while the run executes, or once read again) or frozen.</summary>
internal static class FrozenValue
{
    public static JToken? Get(ref JToken? value, ref FrozenJson? frozen)
    {
        if (frozen is not null)
        {
            value = frozen.Thaw();
            frozen = null;
        }
        return value;
    }

    /// <summary>What run history shows: the live value while the run executes, a fresh copy once it is frozen, the
    /// secure-data marker when secured (and there is a value).</summary>
    public static JToken? Shown(bool secured, JToken? value, FrozenJson? frozen) =>
        value is null && frozen is null ? null : secured ? ActionRun.SecureDataMarker : value ?? frozen!.Thaw();

    /// <summary>A copy of what run history shows (for <c>ToJson</c>): a frozen value is thawed once, not thawed and cloned.</summary>
    public static JToken? Copy(bool secured, JToken? value, FrozenJson? frozen) =>
        value is null && frozen is null ? null : secured ? ActionRun.SecureDataMarker.DeepClone() : frozen?.Thaw() ?? value!.DeepClone();

    public static void Set(ref JToken? value, ref FrozenJson? frozen, JToken? newValue)
    {
        value = newValue;
        frozen = null;
    }

    /// <summary>Freezes a container. One that is part of another token (an expression's result taken from another
    /// action's outputs) is frozen too: the history then keeps its own copy instead of the whole tree around it. The
    /// form the run store made of the same value (<paramref name="made"/>) is taken instead of freezing it again.</summary>
    public static void Freeze(ref JToken? value, ref FrozenJson? frozen, ref Made made)
    {
        if (value is not JContainer container) return;
        var compact = ReferenceEquals(made.From, value) ? made.Frozen : FrozenJson.TryFreezeRecordValue(container);
        made = default;
        if (compact is null) return;
        frozen = compact;
        value = null;
    }

    /// <summary>A live container's frozen form, made when the run store first wrote it (a completed record's values
    /// don't change): kept beside the live value, which expressions still read, until the run ends.</summary>
    public struct Made
    {
        public JToken? From;
        public FrozenJson? Frozen;
    }

    /// <summary>What the run store writes for a value: its frozen form (made once, kept in <paramref name="made"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (JToken? Value, FrozenJson? Frozen) ForStore(JToken? value, FrozenJson? frozen, ref Made made)
    {
        if (frozen is not null || value is not JContainer container) return (value, frozen);
        if (ReferenceEquals(made.From, value)) return (null, made.Frozen);
        if (FrozenJson.TryFreezeRecordValue(container) is not { } compact) return (value, null);
        made = new Made { From = value, Frozen = compact };
        return (null, compact);
    }
}
