using System.Runtime.CompilerServices;
using Newtonsoft.Json.Linq;
using Workflows.Runtime;
using Workflows.Runtime.History;

namespace LocalLogicApp.History;

/// <summary>
/// Turns a run read from disk back into the engine's <see cref="WorkflowRun"/> (id, workflow, status, times, trigger
/// inputs and outputs), so that <c>WorkflowEngine.ResubmitAsync</c> can replay it in a later process as the portal
/// does. The runtime builds runs only itself (internal constructors); these accessors reach them until it offers a
/// public way to import a recorded run. A change of those constructors fails here, with a clear message, and in the
/// tests of <c>runs resubmit</c>.
/// </summary>
internal static class RecordedRun
{
    public static WorkflowRun Rebuild(RunRecord record)
    {
        var trigger = record.Trigger;
        if (trigger["outputs"] is not JObject outputs || outputs.ContainsKey("$secureData"))
        {
            throw RunHistoryException.NotResubmittable(
                $"Run {record.Id}'s trigger outputs are secured (runtimeConfiguration.secureData): the run history does not hold them, so it can't be replayed locally.");
        }
        try
        {
            var triggerStart = RunRecord.Time(record.File, "trigger.startTime", trigger["startTime"]) ?? record.StartTime;
            var rebuiltTrigger = NewTrigger(
                trigger.Value<string>("name") ?? "", trigger.Value<string>("type") ?? "", Replayable(trigger["inputs"]), (JObject)outputs.DeepClone(),
                triggerStart, trigger.Value<string>("trackingId") ?? "", secureInputs: false, secureOutputs: false);
            SetScheduledTime(rebuiltTrigger, RunRecord.Time(record.File, "trigger.scheduledTime", trigger["scheduledTime"]));
            var clientTrackingId = record.ClientTrackingId ?? record.Id;
            SetClientTrackingId(rebuiltTrigger, clientTrackingId);
            var run = NewRun(record.Id, record.Workflow, rebuiltTrigger, record.StartTime, clientTrackingId);
            SetStatus(run, record.Status);
            SetEndTime(run, record.EndTime);
            return run;
        }
        catch (MissingMemberException ex)
        {
            throw new InvalidOperationException(
                $"This build of the runtime can't rebuild a recorded run ({ex.Message}); update LocalLogicApp/History/RecordedRun.cs to the runtime's run types.", ex);
        }
    }

    /// <summary>Secured trigger inputs were redacted in the history: replay none rather than the redaction marker.</summary>
    private static JToken? Replayable(JToken? inputs) => inputs is JObject secured && secured.ContainsKey("$secureData") ? null : inputs?.DeepClone();

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TriggerRun NewTrigger(
        string name, string type, JToken? inputs, JObject outputs, DateTimeOffset startTime, string trackingId, bool secureInputs, bool secureOutputs);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_ScheduledTime")]
    private static extern void SetScheduledTime(TriggerRun trigger, DateTimeOffset? value);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_ClientTrackingId")]
    private static extern void SetClientTrackingId(TriggerRun trigger, string value);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern WorkflowRun NewRun(string id, string workflowName, TriggerRun trigger, DateTimeOffset startTime, string clientTrackingId);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_Status")]
    private static extern void SetStatus(WorkflowRun run, WorkflowStatus status);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_EndTime")]
    private static extern void SetEndTime(WorkflowRun run, DateTimeOffset? value);
}
