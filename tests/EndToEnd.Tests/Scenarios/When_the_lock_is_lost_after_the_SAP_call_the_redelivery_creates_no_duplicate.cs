using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;
using LocalLogicApp.StandIns.Sap;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_the_lock_is_lost_after_the_SAP_call_the_redelivery_creates_no_duplicate
{
    [TestMethod]
    public async Task The_session_lock_expiring_after_the_commit_leads_to_a_second_delivery_that_finds_the_order_already_created()
    {
        var clock = new ManualClock();
        // One session receiver: the redelivery starts when the first run has ended, as after a crash or a long pause.
        await using var app = await LocalApp.StartAsync(clock, maxConcurrentSessions: 1);
        var lockDuration = TimeSpan.FromMinutes(5); // sap-fulfillment's LockDuration in deploy/servicebus/Config.json
        var commits = 0; // bapiCallMethod commits itself (autoCommit)
        app.Host.Sap.AfterCall = operation =>
        {
            if (operation == FakeSapSystem.CallBapiOperation && Interlocked.Increment(ref commits) == 1) clock.Advance(lockDuration + TimeSpan.FromSeconds(1));
        };

        var (status, _) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-3001"));
        await app.SettledAsync();

        Assert.AreEqual(202, status);
        var runs = app.RunsOf("SapFulfillment", "E2E-3001-ordercreated-v1");
        Assert.HasCount(2, runs);
        Assert.AreEqual(1, ((JObject)runs[0].Trigger.Outputs)["body"]!.Value<int>("deliveryCount"));
        Assert.AreEqual(2, ((JObject)runs[1].Trigger.Outputs)["body"]!.Value<int>("deliveryCount"));
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Failed, runs[0].Action("Complete_the_message").Status, "completing after the lock expired must fail");
        StringAssert.Contains(runs[0].Action("Complete_the_message").Outputs!.ToString(), "LockLost");
        Assert.IsTrue(SubscriberRuns.Settled(runs[1]));
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-3001"), "the redelivery must not create a second sales order");
        Assert.AreEqual(1, app.Host.Sap.Calls.Count(c => c.Operation == FakeSapSystem.CallBapiOperation));
    }
}
