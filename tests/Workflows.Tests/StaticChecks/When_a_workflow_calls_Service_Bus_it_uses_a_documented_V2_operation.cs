using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// The built-in Service Bus connector's current operations and their parameters (operations table, from the
/// connector reference: learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/servicebus). The legacy
/// ids (peekLockTopicMessages, completeMessage, ...) are deliberately absent. A session trigger is settled with the
/// session operations, a peek-lock V2 trigger with the V2 operations: trigger and settlement of one generation.
/// </summary>
internal static class ServiceBusOperations
{
    public sealed record Operation(string[] Required, string[] Optional, string Family);

    private static Operation Op(string family, string required, string optional = "") =>
        new(required.Split(',', StringSplitOptions.RemoveEmptyEntries), optional.Split(',', StringSplitOptions.RemoveEmptyEntries), family);

    private const string Topic = "topicName,subscriptionName";
    private const string DeadLetter = "deadLetterReason,deadLetterErrorDescription";

    public static readonly IReadOnlyDictionary<string, Operation> Documented = new Dictionary<string, Operation>(StringComparer.Ordinal)
    {
        // triggers
        ["peekLockTopicMessagesV2"] = Op("V2", Topic, "maxMessageBatchSize"),
        ["peekLockQueueMessagesV2"] = Op("V2", "queueName", "maxMessageBatchSize"),
        ["receiveQueueMessages"] = Op("AutoComplete", "queueName", "isSessionsEnabled,maxMessageBatchSize"),
        ["receiveTopicMessages"] = Op("AutoComplete", Topic, "isSessionsEnabled,maxMessageBatchSize"),
        ["onSingleNewMessageFromQueueSession"] = Op("Session", "queueName", "sessionId"),
        ["onSingleNewMessageFromTopicSession"] = Op("Session", Topic, "sessionId"),
        ["onNewMessagesFromQueueSession"] = Op("Session", "queueName", "sessionId,maxMessages"),
        ["onNewMessagesFromTopicSession"] = Op("Session", Topic, "sessionId,maxMessages"),
        // settlement
        ["completeTopicMessageV2"] = Op("V2", Topic + ",lockToken"),
        ["abandonTopicMessageV2"] = Op("V2", Topic + ",lockToken"),
        ["deferTopicMessageV2"] = Op("V2", Topic + ",lockToken"),
        ["renewLockTopicMessageV2"] = Op("V2", Topic + ",lockToken"),
        ["deadLetterTopicMessageV2"] = Op("V2", Topic + ",lockToken", DeadLetter),
        ["completeQueueMessageV2"] = Op("V2", "queueName,lockToken"),
        ["abandonQueueMessageV2"] = Op("V2", "queueName,lockToken"),
        ["deferQueueMessageV2"] = Op("V2", "queueName,lockToken"),
        ["renewLockQueueMessageV2"] = Op("V2", "queueName,lockToken"),
        ["deadLetterQueueMessageV2"] = Op("V2", "queueName,lockToken", DeadLetter),
        ["completeMessageInSession"] = Op("Session", "messageId", "lockToken"),
        ["abandonMessageInSession"] = Op("Session", "messageId", "lockToken"),
        ["deferMessageInSession"] = Op("Session", "messageId", "lockToken"),
        ["deadLetterMessageInSession"] = Op("Session", "messageId", "lockToken," + DeadLetter),
        ["renewQueueSession"] = Op("Session", "queueName,sessionId"),
        ["closeQueueSession"] = Op("Session", "queueName,sessionId"),
        ["renewTopicSession"] = Op("Session", Topic + ",sessionId"),
        ["closeTopicSession"] = Op("Session", Topic + ",sessionId"),
        ["getDeferredMessageFromQueueV2"] = Op("V2", "queueName,sequenceNumber"),
        ["getDeferredMessageFromTopicV2"] = Op("V2", Topic + ",sequenceNumber"),
        ["getMessagesFromQueueV2"] = Op("V2", "queueName", "maxMessages"),
        ["getMessagesFromTopicV2"] = Op("V2", Topic, "maxMessages"),
        // sending
        ["sendMessage"] = Op("Send", "entityName,message"),
        ["sendMessages"] = Op("Send", "entityName,messages"),
    };

    private static readonly HashSet<string> Settlements = ["complete", "abandon", "defer", "deadLetter"];

    public static bool IsSettlement(string operationId) => Settlements.Any(s => operationId.StartsWith(s, StringComparison.Ordinal));

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var (name, workflow) in files.Workflows)
        {
            var operations = WorkflowWalker.Operations(name, workflow).Where(o => o.IsServiceBus).ToArray();
            foreach (var operation in operations)
            {
                var id = operation.OperationId ?? "";
                if (!Documented.TryGetValue(id, out var documented))
                {
                    problems.Add($"{name}: {operation.Path} uses '{id}', which is not a documented operation of the current (V2) Service Bus connector.");
                    continue;
                }
                var passed = operation.Parameters.Properties().Select(p => p.Name).ToArray();
                foreach (var unknown in passed.Except(documented.Required).Except(documented.Optional))
                    problems.Add($"{name}: {operation.Path} passes '{unknown}', which {id} does not document.");
                foreach (var missing in documented.Required.Except(passed))
                    problems.Add($"{name}: {operation.Path} lacks '{missing}', which {id} requires.");
            }
            var trigger = operations.FirstOrDefault(o => o.IsTrigger);
            if (trigger is null || !Documented.TryGetValue(trigger.OperationId ?? "", out var triggerOperation)) continue;
            foreach (var settle in operations.Where(o => !o.IsTrigger && IsSettlement(o.OperationId ?? "") && Documented.ContainsKey(o.OperationId!)))
            {
                if (Documented[settle.OperationId!].Family != triggerOperation.Family)
                    problems.Add($"{name}: {settle.Path} settles with {settle.OperationId} ({Documented[settle.OperationId!].Family}) a message from {trigger.OperationId} ({triggerOperation.Family}).");
            }
        }
        return problems;
    }
}

[TestClass]
public sealed class When_a_workflow_calls_Service_Bus_it_uses_a_documented_V2_operation
{
    [TestMethod]
    public void Every_Service_Bus_operation_id_and_parameter_is_documented_and_settles_in_its_trigger_generation() =>
        Problems.AssertNone(ServiceBusOperations.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_legacy_operation_id_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchive",
            w => w.SelectTokens("$..Complete_the_message.inputs.serviceProviderConfiguration.operationId").Single().Replace("completeMessage"));
        Problems.AssertReported(ServiceBusOperations.Find(fixture.Files), "uses 'completeMessage'");
    }

    [TestMethod]
    public void An_undocumented_parameter_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => ((JObject)w.SelectToken("definition.triggers.When_messages_are_available_in_the_subscription.inputs.parameters")!)["isSessionsEnabled"] = true);
        Problems.AssertReported(ServiceBusOperations.Find(fixture.Files), "passes 'isSessionsEnabled'");
    }

    [TestMethod]
    public void A_V2_settlement_of_a_session_message_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow("SapFulfillment", w =>
        {
            var complete = (JObject)w.SelectTokens("$..Complete_the_message.inputs").Single();
            complete["serviceProviderConfiguration"]!["operationId"] = "completeTopicMessageV2";
            complete["parameters"] = new JObject { ["topicName"] = "orders", ["subscriptionName"] = "sap-fulfillment", ["lockToken"] = "@triggerBody()?['lockToken']" };
        });
        Problems.AssertReported(ServiceBusOperations.Find(fixture.Files), "settles with completeTopicMessageV2 (V2) a message from onSingleNewMessageFromTopicSession (Session)");
    }
}
