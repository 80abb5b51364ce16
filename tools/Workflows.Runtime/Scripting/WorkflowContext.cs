using Newtonsoft.Json.Linq;

// Microsoft's inline C# script API ("Execute CSharp Script Code", https://learn.microsoft.com/azure/logic-apps/add-run-csharp-scripts), provided in this
// assembly so that scripts written for Azure (#r "Microsoft.Azure.Workflows.Scripting") run unchanged.
namespace Microsoft.Azure.Workflows.Scripting;

/// <summary>What a <c>.csx</c> script's <c>Run(WorkflowContext context, ILogger log)</c> receives.</summary>
public sealed class WorkflowContext
{
    private readonly Func<JToken> trigger;
    private readonly Func<string, JToken> action;

    internal WorkflowContext(Func<JToken> trigger, Func<string, JToken> action)
    {
        this.trigger = trigger;
        this.action = action;
    }

    /// <summary>The trigger's result (<c>Outputs["body"]</c> is the trigger body).</summary>
    public Task<WorkflowOperationResult> GetTriggerResults() => Task.FromResult(WorkflowOperationResult.FromRecord(trigger()));

    /// <summary>The named action's result; the action must have run before this one.</summary>
    public Task<WorkflowOperationResult> GetActionResults(string actionName) => Task.FromResult(WorkflowOperationResult.FromRecord(action(actionName)));

    /// <summary>The class reference's spelling of <see cref="GetActionResults"/>.</summary>
    public Task<WorkflowOperationResult> GetActionResult(string actionName) => GetActionResults(actionName);

    /// <summary>The class reference's spelling of <see cref="GetTriggerResults"/>.</summary>
    public Task<WorkflowOperationResult> RunTriggerResult() => GetTriggerResults();
}

/// <summary>A trigger's or action's result as scripts see it.</summary>
/// <remarks>Each value is read from the run's record the first time the script asks for it (inputs, outputs, error
/// and tracked properties as the script's own copy, so a script that changes them changes nothing of the run):
/// scripts usually look at a few fields of a few actions, and copying every record whole dominated their cost.</remarks>
public class WorkflowOperationResult
{
    private readonly JToken? record;
    private Field<string?> name, operationTrackingId, code, status;
    private Field<JToken?> inputs, outputs, error, trackedProperties;
    private Field<DateTime?> startTime, endTime;

    public WorkflowOperationResult()
    {
    }

    private WorkflowOperationResult(JToken record) => this.record = record;

    public string? Name { get => name.Get(record, static r => r.Value<string>("name")); set => name.Set(value); }
    public JToken? Inputs { get => inputs.Get(record, static r => r["inputs"]?.DeepClone()); set => inputs.Set(value); }
    public JToken? Outputs { get => outputs.Get(record, static r => r["outputs"]?.DeepClone()); set => outputs.Set(value); }
    public DateTime? StartTime { get => startTime.Get(record, static r => Time(r["startTime"])); set => startTime.Set(value); }
    public DateTime? EndTime { get => endTime.Get(record, static r => Time(r["endTime"])); set => endTime.Set(value); }
    public string? OperationTrackingId { get => operationTrackingId.Get(record, static r => r.Value<string>("trackingId")); set => operationTrackingId.Set(value); }
    public string? Code { get => code.Get(record, static r => r.Value<string>("code")); set => code.Set(value); }
    public string? Status { get => status.Get(record, static r => r.Value<string>("status")); set => status.Set(value); }
    public JToken? Error { get => error.Get(record, static r => r["error"]?.DeepClone()); set => error.Set(value); }
    public JToken? TrackedProperties { get => trackedProperties.Get(record, static r => r["trackedProperties"]?.DeepClone()); set => trackedProperties.Set(value); }

    internal static WorkflowOperationResult FromRecord(JToken record) => new(record);

    private static DateTime? Time(JToken? token) =>
        token?.Type == JTokenType.String && DateTime.TryParse((string?)token, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>A value read from the record on first use, or set by the script.</summary>
    private struct Field<T>
    {
        private T value;
        private bool known;

        public T Get(JToken? record, Func<JToken, T> read)
        {
            if (!known)
            {
                value = record is null ? default! : read(record);
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
