using System.Globalization;
using LocalLogicApp.Reporting;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime;
using Workflows.Runtime.History;

namespace Simulation.Observation;

/// <summary>
/// What the simulation learns from one finished run, read the way the monitoring KPIs read run history
/// (docs/monitoring.md, "KPI definitions"): the client tracking id (each simulated event has its own correlation id), the
/// subscriber's <c>Decide_settlement</c> record (tracked outcome, delivery count, settlement, and when it was decided),
/// whether the settlement went through, how many actions ran and how many attempts were retried; for a dead-letter
/// workflow, whether the Teams alert was posted. Only tracked properties, statuses and times are read: nothing is thawed.
/// </summary>
public sealed record RunObservation(
    string Workflow,
    string ClientTrackingId,
    WorkflowStatus Status,
    int Actions,
    int RetryAttempts,
    Decision? Decision,
    bool Settled,
    bool AlertPosted,
    long EndTicks)
{
    public const string DecideSettlementAction = "Decide_settlement";
    public const string PostAlertAction = "Post_alert_to_Teams";

    public static RunObservation Of(WorkflowRun run)
    {
        var actions = 0;
        var retries = 0;
        Decision? decision = null;
        var alertPosted = false;
        foreach (var action in run.Actions.Values)
        {
            var repetitions = action.Repetitions;
            if (repetitions.Count == 0)
            {
                Count(action);
            }
            else
            {
                foreach (var repetition in repetitions) Count(repetition);
            }
            if (action.Name == DecideSettlementAction && action.TrackedProperties is { } tracked && action.EndTime is { } decided)
            {
                decision = new Decision(
                    tracked.Value<string>("outcome") ?? "",
                    tracked.Value<string>("settlement") ?? "",
                    DeliveryCount(tracked["deliveryCount"]),
                    decided.UtcTicks);
            }
            if (action.Name == PostAlertAction && action.Status == WorkflowStatus.Succeeded) alertPosted = true;
        }
        var settled = decision is not null && SubscriberRuns.Settled(run);
        return new RunObservation(run.WorkflowName, run.ClientTrackingId, run.Status, actions, retries, decision, settled, alertPosted,
            (run.EndTime ?? run.StartTime).UtcTicks);

        void Count(ActionRun action)
        {
            if (action.Status != WorkflowStatus.Skipped) actions++;
            retries += action.RetryHistory.Count;
        }
    }

    private static int DeliveryCount(JToken? token) => token?.Type switch
    {
        JTokenType.Integer => (int)token,
        JTokenType.String when int.TryParse((string?)token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => 0,
    };

    /// <summary>One line of JSON (the host process of a crash simulation streams observations this way).</summary>
    public string ToLine()
    {
        var json = new JObject
        {
            ["w"] = Workflow,
            ["c"] = ClientTrackingId,
            ["s"] = Status.ToString(),
            ["a"] = Actions,
            ["r"] = RetryAttempts,
            ["settled"] = Settled,
            ["alert"] = AlertPosted,
            ["end"] = EndTicks,
        };
        if (Decision is { } d) json["d"] = new JObject { ["o"] = d.Outcome, ["s"] = d.Settlement, ["n"] = d.DeliveryCount, ["t"] = d.AtTicks };
        return json.ToString(Formatting.None);
    }

    public static RunObservation FromLine(JObject json)
    {
        Decision? decision = json["d"] is JObject d
            ? new Decision(d.Value<string>("o") ?? "", d.Value<string>("s") ?? "", d.Value<int>("n"), d.Value<long>("t"))
            : null;
        return new RunObservation(json.Value<string>("w") ?? "", json.Value<string>("c") ?? "", Enum.Parse<WorkflowStatus>(json.Value<string>("s") ?? "Running"),
            json.Value<int>("a"), json.Value<int>("r"), decision, json.Value<bool>("settled"), json.Value<bool>("alert"), json.Value<long>("end"));
    }
}

/// <summary>A subscriber's settlement decision (the KPIs' "delivery"): outcome, decision, delivery count, when (UTC ticks).</summary>
public sealed record Decision(string Outcome, string Settlement, int DeliveryCount, long AtTicks)
{
    /// <summary>docs/monitoring.md: a delivery succeeded when its outcome is Succeeded, AlreadyCompleted, Skipped or Superseded.</summary>
    public bool Succeeded => Outcome is "Succeeded" or "AlreadyCompleted" or "Skipped" or "Superseded";

    public bool IsFinal => Settlement is "complete" or "deadLetter";
}
