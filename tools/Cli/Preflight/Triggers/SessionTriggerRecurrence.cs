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

    private const string Fix = "give the trigger \"recurrence\": { \"frequency\": \"Second\", \"interval\": 1 } (the polling interval; the designer writes one), next to \"type\" and \"inputs\".";

    public static IReadOnlyList<PreflightProblem> Find(IEnumerable<(string Name, JObject Workflow)> workflows)
    {
        var problems = new List<PreflightProblem>();
        foreach (var (name, workflow) in workflows)
        {
            foreach (var (triggerName, trigger) in WorkflowFiles.Triggers(workflow))
            {
                var operation = (string?)trigger.SelectToken("inputs.serviceProviderConfiguration.operationId");
                var provider = (string?)trigger.SelectToken("inputs.serviceProviderConfiguration.serviceProviderId");
                if (operation is null || !SessionTriggers.Contains(operation) ||
                    !string.Equals(provider, "/serviceProviders/serviceBus", StringComparison.OrdinalIgnoreCase)) continue;
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
