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
/// Azure Service Bus from workflows" (https://learn.microsoft.com/en-us/azure/connectors/connectors-create-api-azure-service-bus,
/// "Considerations for Azure Service Bus operations" › "Service Bus triggers"): with concurrency on, the default of
/// 10 waiting runs "might be too large and might cause a 'lock lost' exception … start testing with a value of 1 or
/// 2". A waiting run holds a locked message it has not started on.</item>
/// </list>
/// </summary>
internal static class ServiceBusTriggerSettings
{
    private static readonly string[] Frequencies = ["Second", "Minute"];

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            foreach (var trigger in WorkflowWalker.Operations(name, workflow).Where(o => o.IsTrigger && o.IsServiceBus))
            {
                var operation = trigger.OperationId ?? "";
                if (operation.Contains("Session", StringComparison.Ordinal))
                {
                    var recurrence = trigger.Body["recurrence"] as JObject;
                    var frequency = (string?)recurrence?["frequency"];
                    var interval = recurrence?["interval"]?.Type == JTokenType.Integer ? (int)recurrence["interval"]! : 0;
                    if (recurrence is null) problems.Add($"{name}: the polling trigger '{trigger.Name}' ({operation}) has no recurrence.");
                    else if (!Frequencies.Contains(frequency) || interval < 1 || (frequency == "Second" ? interval : interval * 60) > 60)
                        problems.Add($"{name}: the recurrence of '{trigger.Name}' must be Second or Minute with an interval of at least 1 and at most a minute, not {recurrence.ToString(Newtonsoft.Json.Formatting.None)}.");
                }
                if (operation.StartsWith("peekLock", StringComparison.Ordinal) && trigger.Body.SelectToken("runtimeConfiguration.concurrency") is JObject concurrency)
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
        Problems.AssertReported(ServiceBusTriggerSettings.Find(fixture.Files), "SapFulfillment: the polling trigger");
    }

    [TestMethod]
    public void A_peek_lock_trigger_with_concurrency_but_no_waiting_limit_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive", w => ((JObject)w.SelectToken("definition.triggers.*.runtimeConfiguration.concurrency")!).Remove("maximumWaitingRuns"));
        Problems.AssertReported(ServiceBusTriggerSettings.Find(fixture.Files), "LakeArchive: the peek-lock trigger");
    }
}
