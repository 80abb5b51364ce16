using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// deploy/servicebus/Config.json is the one topology; the workflows reach it through parameters.json and app
/// settings. With the local settings template's values: every topic, subscription and queue a workflow names exists;
/// session triggers read session subscriptions (and only those); the max delivery count the workflow uses for its
/// dead-letter decision equals the subscription's; every subscription forwards dead letters to a queue that a
/// dead-letter alert workflow reads; every subscription and queue has its workflow.
/// </summary>
internal static class TopologyAgreement
{
    private static readonly Regex Parameter = new(@"parameters\('[^']+'\)");

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        var topics = files.TopologyTopics().ToHashSet();
        var queues = files.TopologyQueues().ToHashSet();
        var subscriptions = files.TopologySubscriptions().ToDictionary(s => (string)s["Name"]!);
        var readSubscriptions = new HashSet<string>();
        var readQueues = new HashSet<string>();

        string? Resolve(JToken? token)
        {
            var text = (string?)token;
            var parameter = text is null ? null : Parameter.Match(text);
            return parameter is { Success: true } ? files.ResolveLocally("@" + parameter.Value) : text;
        }

        foreach (var (name, workflow) in files.Workflows)
        {
            foreach (var operation in WorkflowWalker.Operations(name, workflow).Where(o => o.IsServiceBus))
            {
                var id = operation.OperationId ?? "";
                if (id == "sendMessage" && !topics.Contains(Resolve(operation.Parameters["entityName"]) ?? ""))
                    problems.Add($"{name}: {operation.Path} sends to '{Resolve(operation.Parameters["entityName"])}', which is not a topic of the topology.");
                if (!operation.IsTrigger) continue;

                if (operation.Parameters["queueName"] is { } queueToken)
                {
                    var queue = Resolve(queueToken) ?? "";
                    if (!queues.Contains(queue)) problems.Add($"{name}: the trigger reads the queue '{queue}', which the topology lacks.");
                    readQueues.Add(queue);
                    continue;
                }
                var topic = Resolve(operation.Parameters["topicName"]) ?? "";
                var subscriptionName = Resolve(operation.Parameters["subscriptionName"]) ?? "";
                if (!topics.Contains(topic)) problems.Add($"{name}: the trigger reads the topic '{topic}', which the topology lacks.");
                if (!subscriptions.TryGetValue(subscriptionName, out var subscription))
                {
                    problems.Add($"{name}: the trigger reads the subscription '{subscriptionName}', which the topology lacks.");
                    continue;
                }
                readSubscriptions.Add(subscriptionName);
                var sessionTrigger = id.Contains("Session", StringComparison.Ordinal);
                var sessionSubscription = (bool?)subscription.SelectToken("Properties.RequiresSession") == true;
                if (sessionTrigger != sessionSubscription)
                    problems.Add($"{name}: the trigger {id} reads '{subscriptionName}', whose RequiresSession is {sessionSubscription}.");

                var decide = WorkflowWalker.Operations(name, workflow).FirstOrDefault(o => (string?)o.Body.SelectToken("inputs.functionName") == "DecideSettlement");
                var used = Resolve(decide?.Body.SelectToken("inputs.parameters.maxDeliveryCount"));
                var configured = (string?)subscription.SelectToken("Properties.MaxDeliveryCount");
                if (decide is not null && used != configured)
                    problems.Add($"{name}: DecideSettlement uses maxDeliveryCount {used ?? "(none)"}, the subscription '{subscriptionName}' has MaxDeliveryCount {configured}.");
            }
        }

        foreach (var (subscriptionName, subscription) in subscriptions)
        {
            if (!readSubscriptions.Contains(subscriptionName)) problems.Add($"Config.json: no workflow reads the subscription '{subscriptionName}'.");
            var forward = (string?)subscription.SelectToken("Properties.ForwardDeadLetteredMessagesTo");
            if (string.IsNullOrEmpty(forward)) problems.Add($"Config.json: the subscription '{subscriptionName}' does not forward its dead letters.");
            else if (!queues.Contains(forward)) problems.Add($"Config.json: the subscription '{subscriptionName}' forwards dead letters to '{forward}', which is not a queue.");
            else if (!readQueues.Contains(forward)) problems.Add($"Config.json: no dead-letter alert workflow reads '{forward}' (dead letters of '{subscriptionName}').");
        }
        foreach (var queue in queues.Where(q => !readQueues.Contains(q))) problems.Add($"Config.json: no workflow reads the queue '{queue}'.");
        return problems;
    }
}

[TestClass]
public sealed class When_the_workflows_reference_the_topology_Config_json_agrees
{
    [TestMethod]
    public void Every_topic_subscription_and_queue_agrees_between_Config_json_and_the_workflows() =>
        Problems.AssertNone(TopologyAgreement.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_subscription_name_setting_with_a_typo_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("local.settings.template.json", s => s["Values"]!["Orders_SmsNotificationSubscriptionName"] = "sms-notifications");
        Problems.AssertReported(TopologyAgreement.Find(fixture.Files), "reads the subscription 'sms-notifications', which the topology lacks");
    }

    [TestMethod]
    public void A_session_trigger_on_a_subscription_without_sessions_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("deploy/servicebus/Config.json",
            c => c.SelectTokens("$..Subscriptions[?(@.Name == 'warehouse-inventory')].Properties.RequiresSession").Single().Replace(false));
        Problems.AssertReported(TopologyAgreement.Find(fixture.Files), "whose RequiresSession is False");
    }

    [TestMethod]
    public void A_max_delivery_count_that_differs_from_the_subscription_is_reported()
    {
        using var fixture = new DefectFixture().EditJson("deploy/servicebus/Config.json",
            c => c.SelectTokens("$..Subscriptions[?(@.Name == 'lake-archive')].Properties.MaxDeliveryCount").Single().Replace(5));
        Problems.AssertReported(TopologyAgreement.Find(fixture.Files), "the subscription 'lake-archive' has MaxDeliveryCount 5");
    }

    [TestMethod]
    public void A_dead_letter_queue_without_its_alert_workflow_is_reported()
    {
        using var fixture = new DefectFixture();
        Directory.Delete(Path.Combine(fixture.Root, "workflows", "SmsNotificationDeadLetters"), recursive: true);
        Problems.AssertReported(TopologyAgreement.Find(fixture.Files), "no dead-letter alert workflow reads 'deadletters-sms-notification'");
    }
}
