using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;

namespace Workflows.Runtime.History;

/// <summary>
/// One run as the portal's run history shows it: id, workflow, status, error, trigger, times,
/// client tracking id, the Response (Request trigger) and every action.
/// </summary>
public sealed class WorkflowRun
{
    private readonly Dictionary<string, ActionRun> actions;
    private readonly TaskCompletionSource<WorkflowRun> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="actionCount">How many actions the workflow has (every one gets a record: sized once, not grown).</param>
    internal WorkflowRun(string id, string workflowName, TriggerRun trigger, DateTimeOffset startTime, string clientTrackingId, int actionCount = 0)
    {
        actions = new Dictionary<string, ActionRun>(actionCount, StringComparer.Ordinal);
        Id = id;
        WorkflowName = workflowName;
        Trigger = trigger;
        StartTime = startTime;
        ClientTrackingId = clientTrackingId;
    }

    /// <summary>
    /// A finished run read back from a run-history file, so that a later process can resubmit it as operators do in
    /// the portal. Holds what resubmit needs (identity, status, times and the trigger), not the actions.
    /// </summary>
    public static WorkflowRun Import(
        string id, string workflowName, string clientTrackingId, WorkflowStatus status,
        DateTimeOffset startTime, DateTimeOffset? endTime, ImportedTrigger trigger)
    {
        var triggerRun = new TriggerRun(trigger.Name, trigger.Type, trigger.Inputs, trigger.Outputs, trigger.StartTime, trigger.TrackingId, secureInputs: false, secureOutputs: false)
        {
            ScheduledTime = trigger.ScheduledTime,
            ClientTrackingId = clientTrackingId,
        };
        return new WorkflowRun(id, workflowName, triggerRun, startTime, clientTrackingId) { Status = status, EndTime = endTime };
    }

    /// <summary>The run id (Azure-shaped: 20 digits of reversed ticks, 9 digits, <c>CU</c>, 2 digits).</summary>
    public string Id { get; }

    public string WorkflowName { get; }

    public WorkflowStatus Status { get; internal set; } = WorkflowStatus.Running;

    /// <summary>The run's error: Terminate's <c>runError</c>, or <c>{code: "ActionFailed", ...}</c>.</summary>
    public JObject? Error { get; internal set; }

    public TriggerRun Trigger { get; }

    public DateTimeOffset StartTime { get; }

    public DateTimeOffset? EndTime { get; internal set; }

    public string ClientTrackingId { get; }

    /// <summary>What the Response action sent back (Request trigger), if it ran.</summary>
    public RunResponse? Response { get; internal set; }

    /// <summary>The id of the run this one resubmits (operators' "Resubmit" in the portal).</summary>
    public string? ResubmittedFrom { get; internal set; }

    /// <summary>Every action that ran or was skipped, nested ones included, by name.</summary>
    public IReadOnlyDictionary<string, ActionRun> Actions
    {
        get { lock (actions) return new Dictionary<string, ActionRun>(actions, StringComparer.Ordinal); }
    }

    /// <summary>Completes when the run has finished.</summary>
    public Task<WorkflowRun> Completion => completion.Task;

    public bool IsCompleted => Status.IsFinished();

    /// <summary>The named action's record; throws naming the actions that exist when it did not run.</summary>
    public ActionRun Action(string name)
    {
        lock (actions)
        {
            if (actions.TryGetValue(name, out var action)) return action;
            throw new KeyNotFoundException(
                $"Run '{Id}' of workflow '{WorkflowName}' has no record of action '{name}'. Recorded actions: {string.Join(", ", actions.Keys)}.");
        }
    }

    public bool TryGetAction(string name, out ActionRun action)
    {
        lock (actions) return actions.TryGetValue(name, out action!);
    }

    internal void SetAction(ActionRun action)
    {
        lock (actions) actions[action.Name] = action;
    }

    internal ActionRun GetOrAddAggregate(string name, Func<ActionRun> create)
    {
        lock (actions)
        {
            if (!actions.TryGetValue(name, out var aggregate)) actions[name] = aggregate = create();
            return aggregate;
        }
    }

    internal void Complete() => completion.TrySetResult(this);

    /// <summary>The run stopped where it is (the host stopped or crashed): whoever waits for it learns why. It stays
    /// Running in the history; a resume continues it from its last checkpoint under the same id.</summary>
    internal void Interrupt(RunInterruptedException reason)
    {
        completion.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        completion.TrySetException(reason);
    }

    /// <summary>Every record the history keeps, for the run store (aggregates of loop actions with their repetitions).</summary>
    internal ActionRun[] StoredActions()
    {
        lock (actions) return actions.Values.ToArray();
    }

    /// <summary>A run read back from the run store: what the portal shows, every action included.</summary>
    internal static WorkflowRun Restore(
        string id, string workflowName, TriggerRun trigger, DateTimeOffset startTime, string clientTrackingId, WorkflowStatus status,
        DateTimeOffset? endTime, JObject? error, RunResponse? response, string? resubmittedFrom, IEnumerable<ActionRun> actions)
    {
        var run = new WorkflowRun(id, workflowName, trigger, startTime, clientTrackingId)
        {
            Status = status,
            EndTime = endTime,
            Error = error,
            Response = response,
            ResubmittedFrom = resubmittedFrom,
        };
        foreach (var action in actions) run.actions[action.Name] = action;
        if (status.IsFinished()) run.Complete();
        return run;
    }

    private FrozenJson.Parts? frozenParts;
    private volatile bool released;

    /// <summary>The large values frozen so far in this run (the run store's writer and the run's end freeze its records'
    /// values with them: see <see cref="FrozenJson.Parts"/>); null once the run has released its records.</summary>
    internal FrozenJson.Parts? FrozenParts
    {
        get
        {
            if (released) return null;
            return frozenParts ?? Interlocked.CompareExchange(ref frozenParts, new FrozenJson.Parts(), null) ?? frozenParts;
        }
    }

    /// <summary>The run has finished: the records built for its expressions are let go (see <see cref="ActionRun.ReleaseRecord"/>).</summary>
    internal void ReleaseRecords()
    {
        using var scope = FrozenJson.Freezing(FrozenParts);
        try
        {
            ReleaseEach();
        }
        finally
        {
            // Every value is frozen now: the tokens noted are let go with the parts.
            released = true;
            frozenParts = null;
        }
    }

    private void ReleaseEach()
    {
        // The trigger's values first: its outputs hold the body that actions' inputs borrow (frozen once, then copied:
        // see FrozenJson.Parts). The run store froze them when the run started; an in-memory history freezes them here.
        // Its record is let go last: an action may hold it whole (@trigger()) and keeps it once its own values are frozen.
        Trigger.FreezeValues();
        lock (actions)
        {
            var all = new List<ActionRun>(actions.Count);
            foreach (var action in actions.Values)
            {
                all.Add(action);
                all.AddRange(action.Repetitions);
            }
            // A record taken whole as another action's inputs or outputs is that action's history now: it keeps its
            // values. Decided for every record before any is released (releasing freezes the values it compares).
            bool HeldElsewhere(JObject? built) => built is not null && all.Exists(a => a.HoldsAsWholeValue(built));
            var held = all.ConvertAll(a => HeldElsewhere(a.BuiltRecord));
            for (var i = 0; i < all.Count; i++) all[i].ReleaseRecord(held[i]);
        }
        Trigger.ReleaseRecord();
    }

    public JObject ToJson()
    {
        var json = new JObject
        {
            ["id"] = Id,
            ["workflow"] = WorkflowName,
            ["status"] = Status.ToString(),
            ["startTime"] = Timestamps.Format(StartTime),
            ["endTime"] = EndTime is { } end ? Timestamps.Format(end) : null,
            ["correlation"] = new JObject { ["clientTrackingId"] = ClientTrackingId },
        };
        if (Error is not null) json["error"] = Error.DeepClone();
        if (ResubmittedFrom is not null) json["resubmittedFrom"] = ResubmittedFrom;
        json["trigger"] = Trigger.ToJson();
        if (Response is not null) json["response"] = Response.ToJson();
        var actionsJson = new JObject();
        foreach (var action in Actions.Values.OrderBy(a => a.StartTime)) actionsJson[action.Name] = action.ToJson();
        json["actions"] = actionsJson;
        return json;
    }

    public override string ToString() => $"{WorkflowName} run {Id}: {Status}";
}

/// <summary>The trigger of a run read back from a run-history file (see <see cref="WorkflowRun.Import"/>).</summary>
public sealed record ImportedTrigger(string Name, string Type, JToken? Inputs, JObject Outputs, DateTimeOffset StartTime, DateTimeOffset? ScheduledTime, string TrackingId);

/// <summary>The trigger's part of a run.</summary>
public sealed class TriggerRun
{
    private JObject? record;

    internal TriggerRun(string name, string type, JToken? inputs, JObject outputs, DateTimeOffset startTime, string trackingId, bool secureInputs, bool secureOutputs)
    {
        Name = name;
        Type = type;
        rawInputs = inputs;
        rawOutputs = outputs;
        StartTime = startTime;
        EndTime = startTime;
        TrackingId = trackingId;
        InputsSecured = secureInputs;
        OutputsSecured = secureOutputs;
    }

    public string Name { get; }

    public string Type { get; }

    public WorkflowStatus Status => WorkflowStatus.Succeeded;

    public string Code => "OK";

    /// <remarks>Once the run has finished, each read gives a fresh copy of the kept (frozen) value.</remarks>
    public JToken? Inputs
    {
        get { lock (gate) return FrozenValue.Shown(InputsSecured, rawInputs, frozenInputs); }
    }

    /// <summary><c>triggerOutputs()</c> (redacted when secured).</summary>
    public JToken Outputs
    {
        get { lock (gate) return FrozenValue.Shown(OutputsSecured, rawOutputs, frozenOutputs)!; }
    }

    public DateTimeOffset StartTime { get; }

    public DateTimeOffset EndTime { get; }

    /// <summary>Recurrence: the occurrence this run was scheduled for.</summary>
    public DateTimeOffset? ScheduledTime { get; internal set; }

    public string TrackingId { get; }

    public string ClientTrackingId
    {
        get => clientTrackingId;
        internal set
        {
            clientTrackingId = value;
            // Update the record in place: rebuilding it would clone the inputs and outputs it already holds.
            if (record is not null) record["clientTrackingId"] = value;
        }
    }

    private string clientTrackingId = "";

    internal JToken? RawInputs
    {
        get { lock (gate) return FrozenValue.Get(ref rawInputs, ref frozenInputs); }
    }

    /// <summary>The inputs as the run store writes them (frozen once, see <see cref="ActionRun.StoredInputs"/>).</summary>
    internal (JToken? Value, FrozenJson? Frozen) StoredInputs
    {
        get { lock (gate) return FrozenValue.ForStore(rawInputs, frozenInputs, ref writtenInputs); }
    }

    /// <summary>The outputs as the run store writes them (frozen once, see <see cref="ActionRun.StoredInputs"/>).</summary>
    internal (JToken? Value, FrozenJson? Frozen) StoredOutputs
    {
        get { lock (gate) return FrozenValue.ForStore(rawOutputs, frozenOutputs, ref writtenOutputs); }
    }

    private FrozenValue.Made writtenInputs, writtenOutputs;

    /// <summary>A trigger record read back from the run store, values still frozen.</summary>
    internal static TriggerRun Restore(
        string name, string type, (JToken? Value, FrozenJson? Frozen) inputs, (JToken? Value, FrozenJson? Frozen) outputs, DateTimeOffset startTime,
        string trackingId, bool secureInputs, bool secureOutputs, DateTimeOffset? scheduledTime, string clientTrackingId)
    {
        var trigger = new TriggerRun(name, type, null, new JObject(), startTime, trackingId, secureInputs, secureOutputs)
        {
            ScheduledTime = scheduledTime,
            ClientTrackingId = clientTrackingId,
        };
        (trigger.rawInputs, trigger.frozenInputs) = inputs;
        (trigger.rawOutputs, trigger.frozenOutputs) = outputs;
        return trigger;
    }

    internal JObject RawOutputs
    {
        get { lock (gate) return (JObject)FrozenValue.Get(ref rawOutputs, ref frozenOutputs)!; }
    }

    private readonly Lock gate = new();
    private JToken? rawInputs, rawOutputs;
    private FrozenJson? frozenInputs, frozenOutputs;
    internal bool InputsSecured { get; }
    internal bool OutputsSecured { get; }

    internal void ReleaseRecord()
    {
        var built = record;
        if (built is not null && built.Parent is null)
        {
            record = null;
            ActionRun.DetachValues(built);
        }
        FreezeValues();
    }

    /// <summary>Freezes the inputs and outputs (the record built for expressions, if any, still holds the live values).</summary>
    internal void FreezeValues()
    {
        lock (gate)
        {
            FrozenValue.Freeze(ref rawInputs, ref frozenInputs, ref writtenInputs);
            FrozenValue.Freeze(ref rawOutputs, ref frozenOutputs, ref writtenOutputs);
        }
    }

    internal JObject ToRecord() => record ??= new JObject
    {
        ["name"] = Name,
        ["inputs"] = ActionRun.Adoptable(RawInputs),
        ["outputs"] = ActionRun.Adoptable(RawOutputs),
        ["startTime"] = Timestamps.Format(StartTime),
        ["endTime"] = Timestamps.Format(EndTime),
        ["scheduledTime"] = ScheduledTime is { } scheduled ? Timestamps.Format(scheduled) : null,
        ["trackingId"] = TrackingId,
        ["clientTrackingId"] = ClientTrackingId,
        ["code"] = Code,
        ["status"] = Status.ToString(),
    };

    public JObject ToJson()
    {
        var json = new JObject
        {
            ["name"] = Name,
            ["type"] = Type,
            ["status"] = Status.ToString(),
            ["code"] = Code,
            ["startTime"] = Timestamps.Format(StartTime),
            ["endTime"] = Timestamps.Format(EndTime),
            ["trackingId"] = TrackingId,
            ["clientTrackingId"] = ClientTrackingId,
        };
        if (ScheduledTime is { } scheduled) json["scheduledTime"] = Timestamps.Format(scheduled);
        lock (gate)
        {
            if (FrozenValue.Copy(InputsSecured, rawInputs, frozenInputs) is { } inputs) json["inputs"] = inputs;
            json["outputs"] = FrozenValue.Copy(OutputsSecured, rawOutputs, frozenOutputs);
        }
        return json;
    }
}

/// <summary>The HTTP answer a Response action gave (or the engine's 202/502 when none did).</summary>
public sealed record RunResponse(int StatusCode, JObject Headers, JToken? Body)
{
    public JObject ToJson() => new() { ["statusCode"] = StatusCode, ["headers"] = Headers.DeepClone(), ["body"] = Body?.DeepClone() };
}
