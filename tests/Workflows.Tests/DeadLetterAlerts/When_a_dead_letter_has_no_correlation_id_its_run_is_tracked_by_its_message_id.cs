using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

[TestClass]
public sealed class When_a_dead_letter_has_no_correlation_id_its_run_is_tracked_by_its_message_id
{
    // The trigger's clientTrackingId is coalesce(correlationId, messageId). The fake builds the trigger item the
    // way the local connector does (ConnectorMessages.ToConnectorMessage assigns absent properties as C# nulls,
    // i.e. string-typed JValues whose value is null); coalesce must skip them like JSON nulls.
    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Lake)]
    public async Task The_clientTrackingId_is_the_message_id(string workflow)
    {
        using var scenario = new WorkflowScenario();
        var garbage = ServiceBusFake.DeadLettered(ServiceBusFake.RawMessage("garbage-1", "not json", contentType: null, sessionId: null),
            "MaxDeliveryCountExceeded", "Message could not be consumed after 10 delivery attempts.");

        var run = await scenario.DeliverAsync(workflow, scenario.Bus.Deliver(garbage));

        Assert.AreEqual("garbage-1", run.ClientTrackingId);
    }
}
