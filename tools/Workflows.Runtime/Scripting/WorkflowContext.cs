using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;
using Workflows.Runtime.History;

// Microsoft's inline C# script API ("Execute CSharp Script Code", https://learn.microsoft.com/azure/logic-apps/add-run-csharp-scripts), provided in this
// assembly so that scripts written for Azure (#r "Microsoft.Azure.Workflows.Scripting") run unchanged.
namespace Microsoft.Azure.Workflows.Scripting;

/// <summary>What a <c>.csx</c> script's <c>Run(WorkflowContext context, ILogger log)</c> receives.</summary>
public sealed class WorkflowContext
{
    private readonly Func<WorkflowOperationResult> trigger;
    private readonly Func<string, WorkflowOperationResult> action;

    internal WorkflowContext(Func<WorkflowOperationResult> trigger, Func<string, WorkflowOperationResult> action)
    {
        this.trigger = trigger;
        this.action = action;
    }

    /// <summary>The trigger's result (<c>Outputs["body"]</c> is the trigger body).</summary>
    public Task<WorkflowOperationResult> GetTriggerResults() => Task.FromResult(trigger());

    /// <summary>The named action's result; the action must have run before this one.</summary>
    public Task<WorkflowOperationResult> GetActionResults(string actionName) => Task.FromResult(action(actionName));

    /// <summary>The class reference's spelling of <see cref="GetActionResults"/>.</summary>
    public Task<WorkflowOperationResult> GetActionResult(string actionName) => GetActionResults(actionName);

    /// <summary>The class reference's spelling of <see cref="GetTriggerResults"/>.</summary>
    public Task<WorkflowOperationResult> RunTriggerResult() => GetTriggerResults();
}

/// <summary>A trigger's or action's result as scripts see it.</summary>
/// <remarks>Each value is read from the run's trigger or action the first time the script asks for it, without building
/// the record that <c>actions('X')</c> gives (the same names, values and times as that record): scripts usually look at a
/// few fields of a few actions. Inputs, outputs, error and tracked properties are the script's own copy (made once per
/// result, by <see cref="JsonTree.Copy"/>), so a script that changes them changes nothing of the run.</remarks>
public class WorkflowOperationResult
{
    private readonly ActionRun? action;
    private readonly TriggerRun? trigger;
    private Field<string?> name, operationTrackingId, code, status;
    private Field<JToken?> inputs, outputs, error, trackedProperties;
    private Field<DateTime?> startTime, endTime;

    public WorkflowOperationResult()
    {
    }

    private WorkflowOperationResult(ActionRun? action, TriggerRun? trigger)
    {
        this.action = action;
        this.trigger = trigger;
    }

    private bool FromRun => action is not null || trigger is not null;

    public string? Name { get => name.Get(this, static r => r.action?.Name ?? r.trigger!.Name); set => name.Set(value); }
    public JToken? Inputs { get => inputs.Get(this, static r => Copy(r.action is { } a ? a.RawInputs : r.trigger!.RawInputs)); set => inputs.Set(value); }
    public JToken? Outputs { get => outputs.Get(this, static r => Copy(r.action is { } a ? a.RawOutputs : r.trigger!.RawOutputs)); set => outputs.Set(value); }
    public DateTime? StartTime { get => startTime.Get(this, static r => (r.action?.StartTime ?? r.trigger!.StartTime).UtcDateTime); set => startTime.Set(value); }
    public DateTime? EndTime { get => endTime.Get(this, static r => r.action is { } a ? a.EndTime?.UtcDateTime : r.trigger!.EndTime.UtcDateTime); set => endTime.Set(value); }
    public string? OperationTrackingId { get => operationTrackingId.Get(this, static r => r.action?.TrackingId ?? r.trigger!.TrackingId); set => operationTrackingId.Set(value); }
    public string? Code { get => code.Get(this, static r => r.action?.Code ?? r.trigger!.Code); set => code.Set(value); }
    public string? Status { get => status.Get(this, static r => (r.action?.Status ?? r.trigger!.Status).ToString()); set => status.Set(value); }
    public JToken? Error { get => error.Get(this, static r => r.action?.Error is { } e ? JsonTree.Copy(e) : null); set => error.Set(value); }
    public JToken? TrackedProperties { get => trackedProperties.Get(this, static r => r.action?.TrackedProperties is { } t ? JsonTree.Copy(t) : null); set => trackedProperties.Set(value); }

    internal static WorkflowOperationResult FromAction(ActionRun action) => new(action, null);

    internal static WorkflowOperationResult FromTrigger(TriggerRun trigger) => new(null, trigger);

    /// <summary>The script's copy of a value; a missing one reads as a JSON null, as in the record.</summary>
    private static JToken Copy(JToken? value) => value is null ? JValue.CreateNull() : JsonTree.Copy(value);

    /// <summary>A value read from the record on first use, or set by the script.</summary>
    private struct Field<T>
    {
        private T value;
        private bool known;

        public T Get(WorkflowOperationResult result, Func<WorkflowOperationResult, T> read)
        {
            if (!known)
            {
                value = result.FromRun ? read(result) : default!;
                known = true;
            }
            return value;
        }

        public void Set(T newValue)
        {
            value = newValue;
            known = true;
        }
    }
}
