using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

/// <summary>
/// A first attempt whose host dies during <c>Send_SMS</c> and is never resumed: its idempotency claim stays in progress
/// until its lease (<c>idempotencyLeaseSeconds</c>, parameters.json) runs out, and the message's next delivery takes the
/// claim over.
/// </summary>
internal static class TakeoverSupport
{
    /// <summary>parameters.json's <c>idempotencyLeaseSeconds</c>.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(900);

    /// <summary>Delivers the sample once; the run dies during its Twilio send, after Twilio accepted the SMS or before.</summary>
    public static async Task<JObject> FirstAttemptDiesDuringTheSend(WorkflowScenario scenario, bool afterTwilioAccepted)
    {
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        scenario.DuringNextSend = (() =>
        {
            Assert.IsTrue(scenario.Host.Engine.Interrupt(WorkflowEngine.CurrentRun!), "the sending run is in flight");
            throw new OperationCanceledException("The host died during Send_SMS.");
        }, afterTwilioAccepted);
        await Assert.ThrowsExactlyAsync<RunInterruptedException>(() => scenario.DeliverAsync("SmsNotification", delivery));
        Assert.HasCount(afterTwilioAccepted ? 1 : 0, scenario.TwilioAccepted, "what Twilio holds when the first attempt dies");
        return delivery;
    }

    /// <summary>The lease of the dead attempt's claim runs out, and the broker hands the message out again.</summary>
    public static Task<WorkflowRun> RedeliverAfterTheLeaseAsync(WorkflowScenario scenario, JObject delivery)
    {
        scenario.Host.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        return scenario.DeliverAsync("SmsNotification", scenario.Bus.Redeliver(delivery));
    }
}
