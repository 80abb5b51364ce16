using Cli.Preflight.Triggers;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// How the built-in Service Bus triggers are configured, by Microsoft's own material:
/// <list type="bullet">
/// <item>The session triggers (<c>onSingleNewMessageFrom…Session</c>, <c>onNewMessagesFrom…Session</c>) are polling
/// triggers: the Workflows SDK builds them with <c>isPolling: true</c> and a <c>FlowRecurrence</c>
/// (<c>OnSingleNewMessageFromTopicSession(topicName, subscriptionName, sessionId, FlowRecurrence recurrence)</c>), so the
/// designer writes a <c>recurrence</c> (<c>frequency</c> + <c>interval</c>, the WDL trigger shape of
/// https://learn.microsoft.com/en-us/azure/logic-apps/logic-apps-workflow-actions-triggers). At most a minute, so an
/// idle subscription notices a new session quickly (under load the trigger drains without waiting).</item>
/// <item>A peek-lock trigger with concurrency control sets <c>maximumWaitingRuns</c> to 1 or 2: Learn, "Connect to
/// Azure Service Bus from workflows" (https://learn.microsoft.com/azure/connectors/connectors-create-api-servicebus,
/// "Considerations for Azure Service Bus operations" › "Service Bus triggers"): with concurrency on, the default of
/// 10 waiting runs "might be too large and might cause a 'lock lost' exception … start testing with a value of 1 or
/// 2". A waiting run holds a locked message it has not started on.</item>
/// </list>
/// </summary>
internal static class ServiceBusTriggerSettings
{
    /// <summary>This project's choice on top of Azure's rule: an idle subscription notices a new session within a minute.</summary>
    public static readonly TimeSpan LongestPollingInterval = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        // That a session trigger has a valid recurrence is preflight's rule, the one the designer and Azure follow.
        var problems = SessionTriggerRecurrence.Find(files.Workflows.Select(w => (w.Key, w.Value))).Select(p => p.ToString()).ToList();
        foreach (var (name, workflow) in files.Workflows)
        {
            foreach (var trigger in WorkflowWalker.Operations(name, workflow).Where(o => o.IsTrigger && o.IsServiceBus))
            {
                if (SessionTriggerRecurrence.PollingInterval(trigger.Body) is { } every && every > LongestPollingInterval)
                    problems.Add($"{name}: the session trigger '{trigger.Name}' polls every {every}; at most every {LongestPollingInterval}, so a new session is noticed quickly.");
                if ((trigger.OperationId ?? "").StartsWith("peekLock", StringComparison.Ordinal) && trigger.Body.SelectToken("runtimeConfiguration.concurrency") is JObject concurrency)
                {
                    var waiting = concurrency["maximumWaitingRuns"];
                    if (waiting?.Type != JTokenType.Integer || (int)waiting is < 1 or > 2)
                        problems.Add($"{name}: the peek-lock trigger '{trigger.Name}' sets concurrency but maximumWaitingRuns is {waiting?.ToString() ?? "not set (default 10)"}; Learn advises 1 or 2, or waiting runs lose their locks.");
                }
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_a_Service_Bus_trigger_receives_it_polls_and_queues_as_Learn_advises
{
    [TestMethod]
    public void The_committed_triggers_follow_the_advice() => Problems.AssertNone(ServiceBusTriggerSettings.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_session_trigger_without_recurrence_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SapFulfillment", w => ((JObject)w.SelectToken("definition.triggers.*")!).Remove("recurrence"));
        Problems.AssertReported(ServiceBusTriggerSettings.Find(fixture.Files), "SapFulfillment/workflow.json: the session trigger");
    }

    [TestMethod]
    public void A_session_trigger_polling_less_often_than_every_minute_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SapFulfillment", w => w.SelectToken("definition.triggers.*")!["recurrence"] = new JObject { ["frequency"] = "Minute", ["interval"] = 5 });
        Problems.AssertReported(ServiceBusTriggerSettings.Find(fixture.Files), "SapFulfillment: the session trigger");
    }

    [TestMethod]
    public void A_peek_lock_trigger_with_concurrency_but_no_waiting_limit_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive", w => ((JObject)w.SelectToken("definition.triggers.*.runtimeConfiguration.concurrency")!).Remove("maximumWaitingRuns"));
        Problems.AssertReported(ServiceBusTriggerSettings.Find(fixture.Files), "LakeArchive: the peek-lock trigger");
    }
}
