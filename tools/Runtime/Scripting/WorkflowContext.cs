using Newtonsoft.Json.Linq;

// Microsoft's inline C# script API ("Execute CSharp Script Code", logic-apps.md §3), provided in this
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
public class WorkflowOperationResult
{
    public string? Name { get; set; }
    public JToken? Inputs { get; set; }
    public JToken? Outputs { get; set; }
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public string? OperationTrackingId { get; set; }
    public string? Code { get; set; }
    public string? Status { get; set; }
    public JToken? Error { get; set; }
    public JToken? TrackedProperties { get; set; }

    internal static WorkflowOperationResult FromRecord(JToken record) => new()
    {
        Name = record.Value<string>("name"),
        Inputs = record["inputs"]?.DeepClone(),
        Outputs = record["outputs"]?.DeepClone(),
        StartTime = Time(record["startTime"]),
        EndTime = Time(record["endTime"]),
        OperationTrackingId = record.Value<string>("trackingId"),
        Code = record.Value<string>("code"),
        Status = record.Value<string>("status"),
        Error = record["error"]?.DeepClone(),
        TrackedProperties = record["trackedProperties"]?.DeepClone(),
    };

    private static DateTime? Time(JToken? token) =>
        token?.Type == JTokenType.String && DateTime.TryParse((string?)token, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
