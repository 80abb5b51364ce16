using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;
using LocalLogicApp.StandIns.Sap;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Scenarios;

/// <summary>
/// The first run is still inside the SAP BAPI call when the session lock (PT5M) expires, so the broker hands the
/// message to another session receiver. The idempotency lease (idempotencyLeaseSeconds, 900 s) outlasts the lock:
/// the redelivery finds the claim live (InProgressElsewhere), waits and abandons instead of calling SAP again; once
/// the first run has committed, a later delivery finds the message AlreadyCompleted and completes it.
/// </summary>
[TestClass]
public sealed class When_the_lock_expires_while_SAP_is_called_the_redelivery_does_not_create_a_second_order
{
    private const string MessageId = "E2E-3101-ordercreated-v1";
    private static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(5); // sap-fulfillment in deploy/servicebus/Config.json

    [TestMethod]
    public async Task The_redelivery_during_the_call_backs_off_and_the_message_is_completed_with_one_sales_order()
    {
        var clock = new ManualClock();
        var backOff = new BackOffOutlastsTheFirstRun(clock, "SapFulfillment", TimeSpan.FromMinutes(2)); // Wait_before_handing_the_message_back
        await using var app = await LocalApp.StartAsync(clock, delay: backOff.DelayAsync);
        backOff.Watch(app);
        var bapiCalls = 0;
        app.Host.Sap.BeforeCall = operation =>
        {
            if (operation != FakeSapSystem.CallBapiOperation || Interlocked.Increment(ref bapiCalls) != 1) return;
            LocalApp.HoldUntil(() => app.OnlyBusyWith("SapFulfillment", "sap-fulfillment"), "the other subscribers finished");
            clock.Advance(LockDuration + TimeSpan.FromSeconds(1));
            // Keep the first run inside the call until the redelivery backs off (or, without a live claim, has ended).
            LocalApp.HoldUntil(() => backOff.BackingOff || app.RunsOf("SapFulfillment", MessageId).Any(r => LocalApp.DeliveryCountOf(r) == 2 && r.IsCompleted),
                "the second delivery backed off or ended");
        };

        var (status, _) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-3101"));
        await app.SettledAsync();

        Assert.AreEqual(202, status);
        var timeline = app.Timeline("SapFulfillment", MessageId);
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-3101"), "the redelivery must not create a second sales order\n" + timeline);
        Assert.AreEqual(1, app.Host.Sap.Calls.Count(c => c.Operation == FakeSapSystem.CallBapiOperation));

        var runs = app.RunsOf("SapFulfillment", MessageId);
        Assert.HasCount(3, runs, "the work, one back-off, the completion:\n" + timeline);
        var first = runs.Single(r => LocalApp.DeliveryCountOf(r) == 1);
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Failed, first.Action("Complete_the_message").Status, "its session lock was gone");
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, first.Action("Record_settlement_skipped").Status);

        var redelivery = runs.Single(r => LocalApp.DeliveryCountOf(r) == 2);
        Assert.AreEqual("InProgressElsewhere", SubscriberRuns.Claim(redelivery));
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, redelivery.Action("Wait_before_handing_the_message_back").Status);
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, redelivery.Action("Abandon_the_message").Status);

        var last = runs[^1];
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Claim(last));
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, last.Action("Complete_the_message").Status, "the message is completed in the end");
        Assert.IsEmpty(app.Host.Teams.PostedCards, "nothing was dead-lettered");
    }
}
