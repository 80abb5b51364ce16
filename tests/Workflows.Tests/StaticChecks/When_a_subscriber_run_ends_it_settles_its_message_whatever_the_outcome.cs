using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// Structural proof that a subscriber (a workflow triggered by a topic subscription in peek-lock or session mode)
/// never leaves its message unsettled: its work is one chain of top-level actions ending in the classifier
/// (<c>CSharpScriptCode</c>), which runs after the last of them for every status, so a failure anywhere in the work
/// skips down to it (a Try scope would do the same at the price of one more executed action); a Switch on the
/// DecideSettlement result maps each decided action (complete, abandon, defer, deadLetter) to the matching settle
/// operation and abandons by default; and when no decision could be made, the message is abandoned.
/// </summary>
internal static class SubscriberSettlement
{
    private static readonly string[] AllStatuses = ["Succeeded", "Failed", "Skipped", "TimedOut"];
    private static readonly string[] DecidedActions = ["complete", "abandon", "defer", "deadLetter"];
    private static readonly HashSet<string> SubscriberTriggers = ["peekLockTopicMessagesV2", "onSingleNewMessageFromTopicSession", "onNewMessagesFromTopicSession"];

    public static IEnumerable<string> Subscribers(LogicAppFiles files) =>
        files.Workflows.Where(w => WorkflowWalker.Operations(w.Key, w.Value).Any(o => o.IsTrigger && SubscriberTriggers.Contains(o.OperationId ?? ""))).Select(w => w.Key);

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var name in Subscribers(files))
        {
            var workflow = files.Workflows[name];
            var top = (workflow.SelectToken("definition.actions") as JObject ?? new JObject()).Properties().ToList();
            var classifier = top.FindIndex(p => (string?)p.Value["type"] == "CSharpScriptCode");
            if (classifier < 1) { problems.Add($"{name}: no top-level classifier (CSharpScriptCode) after its work."); continue; }
            var last = top[classifier - 1].Name;
            if (top[classifier].Value["runAfter"] is not JObject { Count: 1 } runAfter || runAfter[last] is not JArray statuses
                || !AllStatuses.All(s => statuses.Any(t => (string?)t == s)))
                problems.Add($"{name}: {top[classifier].Name} does not run after '{last}' for all of {string.Join(", ", AllStatuses)}.");
            for (var i = 1; i < classifier; i++)
            {
                if (top[i].Value["runAfter"] is not JObject { Count: 1 } chain || chain[top[i - 1].Name] is null)
                    problems.Add($"{name}: the work before {top[classifier].Name} must be one chain, but '{top[i].Name}' does not run after '{top[i - 1].Name}' alone.");
            }

            var operations = WorkflowWalker.Operations(name, workflow).ToArray();
            var decide = operations.FirstOrDefault(o => (string?)o.Body.SelectToken("inputs.functionName") == "DecideSettlement");
            if (decide is null) { problems.Add($"{name}: no DecideSettlement action."); continue; }

            var switches = operations.Where(o => o.Type == "Switch" && ((string?)o.Body["expression"] ?? "").Contains($"'{decide.Name}'", StringComparison.Ordinal)).ToArray();
            if (switches.Length != 1) { problems.Add($"{name}: expected one Switch on the result of '{decide.Name}', found {switches.Length}."); continue; }
            var settleSwitch = switches[0].Body;
            foreach (var decided in DecidedActions)
            {
                var @case = (settleSwitch["cases"] as JObject)?.Properties().Select(p => p.Value).FirstOrDefault(c => (string?)c["case"] == decided);
                if (@case is null) { problems.Add($"{name}: the settlement Switch has no case '{decided}'."); continue; }
                if (!SettleOperations(name, @case["actions"] as JObject).Any(id => id.StartsWith(decided, StringComparison.Ordinal)))
                    problems.Add($"{name}: the settlement Switch case '{decided}' runs no {decided} operation.");
            }
            if (!SettleOperations(name, settleSwitch.SelectToken("default.actions") as JObject).Any(id => id.StartsWith("abandon", StringComparison.Ordinal)))
                problems.Add($"{name}: the settlement Switch's default does not abandon the message.");

            var fallback = operations.Where(o => o.Body["runAfter"]?[decide.Name] is JArray statuses
                                                 && new[] { "Failed", "Skipped", "TimedOut" }.All(s => statuses.Any(t => (string?)t == s))
                                                 && (o.OperationId ?? "").StartsWith("abandon", StringComparison.Ordinal));
            if (!fallback.Any()) problems.Add($"{name}: nothing abandons the message when '{decide.Name}' fails or is skipped.");
        }
        return problems;
    }

    private static IEnumerable<string> SettleOperations(string workflow, JObject? actions) =>
        WorkflowWalker.Actions(workflow, actions, "case").Where(o => o.IsServiceBus).Select(o => o.OperationId ?? "");
}

[TestClass]
public sealed class When_a_subscriber_run_ends_it_settles_its_message_whatever_the_outcome
{
    [TestMethod]
    public void The_four_subscribers_are_recognised() =>
        CollectionAssert.AreEquivalent(new[] { "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive" },
            SubscriberSettlement.Subscribers(LogicAppFiles.Repository()).ToArray());

    [TestMethod]
    public void Every_subscriber_classifies_and_settles_after_its_work_whatever_the_outcome() =>
        Problems.AssertNone(SubscriberSettlement.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_classifier_that_skips_a_timed_out_work_step_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("WarehouseInventory",
            w => w.SelectToken("definition.actions.Classify_outcome.runAfter.Should_the_warehouse_be_called")!.Replace(new JArray("Succeeded", "Failed", "Skipped")));
        Problems.AssertReported(SubscriberSettlement.Find(fixture.Files), "WarehouseInventory: Classify_outcome does not run after 'Should_the_warehouse_be_called'");
    }

    [TestMethod]
    public void A_dead_letter_case_that_abandons_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive",
            w => w.SelectTokens("$..Dead_letter_the_message.inputs.serviceProviderConfiguration.operationId").Single().Replace("abandonTopicMessageV2"));
        Problems.AssertReported(SubscriberSettlement.Find(fixture.Files), "case 'deadLetter' runs no deadLetter operation");
    }

    [TestMethod]
    public void A_missing_defer_case_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => ((JObject)w.SelectTokens("$..Settle_the_message.cases").Single()).Remove("Defer"));
        Problems.AssertReported(SubscriberSettlement.Find(fixture.Files), "has no case 'defer'");
    }
}
