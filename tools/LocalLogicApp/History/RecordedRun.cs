using Newtonsoft.Json.Linq;
using Workflows.Runtime;
using Workflows.Runtime.History;

namespace LocalLogicApp.History;

/// <summary>
/// Turns a run read from disk back into the engine's <see cref="WorkflowRun"/> (id, workflow, status, times, trigger
/// inputs and outputs), so that <c>WorkflowEngine.ResubmitAsync</c> can replay it in a later process as the portal
/// does (<see cref="WorkflowRun.Import"/>).
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
        var triggerStart = RunRecord.Time(record.File, "trigger.startTime", trigger["startTime"]) ?? record.StartTime;
        var importedTrigger = new ImportedTrigger(
            trigger.Value<string>("name") ?? "", trigger.Value<string>("type") ?? "", Replayable(trigger["inputs"]), (JObject)outputs.DeepClone(),
            triggerStart, RunRecord.Time(record.File, "trigger.scheduledTime", trigger["scheduledTime"]), trigger.Value<string>("trackingId") ?? "");
        return WorkflowRun.Import(record.Id, record.Workflow, record.ClientTrackingId ?? record.Id, record.Status, record.StartTime, record.EndTime, importedTrigger);
    }

    /// <summary>Secured trigger inputs were redacted in the history: replay none rather than the redaction marker.</summary>
    private static JToken? Replayable(JToken? inputs) => inputs is JObject secured && secured.ContainsKey("$secureData") ? null : inputs?.DeepClone();
}
