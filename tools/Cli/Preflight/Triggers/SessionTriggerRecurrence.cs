using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Triggers;

/// <summary>
/// The Service Bus built-in session triggers are polling (recurrence-based) triggers: the designer writes a
/// <c>recurrence</c> for them, as the Workflows SDK's <c>OnSingleNewMessageFromTopicSession(..., FlowRecurrence
/// recurrence)</c> takes one, and Learn's host settings for trigger concurrency apply to "recurrence-based
/// trigger[s] for built-in, service provider-based connectors"
/// (https://learn.microsoft.com/azure/logic-apps/edit-app-settings-host-settings#trigger-concurrency). A session
/// trigger without one is what no Azure-authored workflow looks like; give it the polling interval explicitly.
/// Operation ids from the connector reference: https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus/
/// </summary>
public static class SessionTriggerRecurrence
{
    public static readonly IReadOnlySet<string> SessionTriggers = new HashSet<string>(StringComparer.Ordinal)
    {
        "onSingleNewMessageFromQueueSession", "onSingleNewMessageFromTopicSession",
        "onNewMessagesFromQueueSession", "onNewMessagesFromTopicSession",
    };

    /// <summary>The frequencies of the Workflow Definition Language's recurrence object.</summary>
    public static readonly IReadOnlySet<string> Frequencies = new HashSet<string>(StringComparer.Ordinal)
    {
        "Second", "Minute", "Hour", "Day", "Week", "Month",
    };

    /// <summary>How often a session trigger polls: its recurrence's interval in its frequency; null for another
    /// trigger, or a recurrence <see cref="Find"/> reports.</summary>
    public static TimeSpan? PollingInterval(JObject trigger)
    {
        if (!IsSessionTrigger(trigger) || trigger["recurrence"] is not JObject recurrence) return null;
        if (recurrence["interval"] is not JValue { Type: JTokenType.Integer } interval || (long)interval < 1) return null;
        return (string?)recurrence["frequency"] switch
        {
            "Second" => TimeSpan.FromSeconds((long)interval),
            "Minute" => TimeSpan.FromMinutes((long)interval),
            "Hour" => TimeSpan.FromHours((long)interval),
            "Day" => TimeSpan.FromDays((long)interval),
            "Week" => TimeSpan.FromDays(7 * (long)interval),
            "Month" => TimeSpan.FromDays(28 * (long)interval),
            _ => null,
        };
    }

    /// <summary>A trigger of the built-in Service Bus connector on a session.</summary>
    public static bool IsSessionTrigger(JObject trigger) =>
        SessionTriggers.Contains((string?)trigger.SelectToken("inputs.serviceProviderConfiguration.operationId") ?? "") &&
        string.Equals((string?)trigger.SelectToken("inputs.serviceProviderConfiguration.serviceProviderId"), "/serviceProviders/serviceBus", StringComparison.OrdinalIgnoreCase);

    private const string Fix = "give the trigger \"recurrence\": { \"frequency\": \"Second\", \"interval\": 1 } (the polling interval; the designer writes one), next to \"type\" and \"inputs\".";

    public static IReadOnlyList<PreflightProblem> Find(IEnumerable<(string Name, JObject Workflow)> workflows)
    {
        var problems = new List<PreflightProblem>();
        foreach (var (name, workflow) in workflows)
        {
            foreach (var (triggerName, trigger) in WorkflowFiles.Triggers(workflow))
            {
                if (!IsSessionTrigger(trigger)) continue;
                var operation = (string?)trigger.SelectToken("inputs.serviceProviderConfiguration.operationId");
                var file = $"{name}/workflow.json";
                if (trigger["recurrence"] is not JObject recurrence)
                {
                    problems.Add(new PreflightProblem(file, $"the session trigger '{triggerName}' ({operation}) has no recurrence.", Fix));
                    continue;
                }
                var frequency = (string?)recurrence["frequency"];
                if (frequency is null || !Frequencies.Contains(frequency))
                    problems.Add(new PreflightProblem(file, $"the session trigger '{triggerName}' has recurrence.frequency '{frequency ?? "(none)"}'.", $"use one of {string.Join(", ", Frequencies)}."));
                if (recurrence["interval"] is not JValue { Type: JTokenType.Integer } interval || (long)interval < 1)
                    problems.Add(new PreflightProblem(file, $"the session trigger '{triggerName}' has recurrence.interval '{recurrence["interval"]}', not a whole number of at least 1.", Fix));
            }
        }
        return problems;
    }
}
