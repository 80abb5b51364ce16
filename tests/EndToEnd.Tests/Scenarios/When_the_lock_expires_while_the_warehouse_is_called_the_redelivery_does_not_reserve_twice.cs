using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Warehouse;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Scenarios;

/// <summary>
/// The warehouse answers the first reservation only after the session lock (PT5M) expired: the broker hands the
/// message to another session receiver while the first run still waits for the API. The redelivery finds the
/// idempotency claim live (InProgressElsewhere), waits and abandons without calling the warehouse; a later delivery
/// finds the message AlreadyCompleted and completes it.
/// </summary>
[TestClass]
public sealed class When_the_lock_expires_while_the_warehouse_is_called_the_redelivery_does_not_reserve_twice
{
    private const string MessageId = "E2E-3201-ordercreated-v1";
    private static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(5); // warehouse-inventory in deploy/servicebus/Config.json

    [TestMethod]
    public async Task The_redelivery_during_the_call_backs_off_and_the_message_is_completed_with_one_reservation()
    {
        var clock = new ManualClock();
        var backOff = new BackOffOutlastsTheFirstRun(clock, "WarehouseInventory", TimeSpan.FromMinutes(2)); // Wait_before_handing_the_message_back
        await using var app = await LocalApp.StartAsync(clock, delay: backOff.DelayAsync);
        backOff.Watch(app);
        // Answers a minute after the lock is gone: only the test's second clock move, after the redelivery began, releases it.
        app.Host.Warehouse.Faults.FailCall(1, HttpFault.Slow(LockDuration + TimeSpan.FromMinutes(1)), WarehouseStandIn.CreateOperation);

        var (status, _) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-3201"));
        LocalApp.HoldUntil(() => app.Host.Warehouse.Faults.CallsOf(WarehouseStandIn.CreateOperation) == 1, "the warehouse received the reservation");
        LocalApp.HoldUntil(() => app.OnlyBusyWith("WarehouseInventory", "warehouse-inventory"), "the other subscribers finished");
        clock.Advance(LockDuration + TimeSpan.FromSeconds(1));
        LocalApp.HoldUntil(() => backOff.BackingOff || app.RunsOf("WarehouseInventory", MessageId).Any(r => LocalApp.DeliveryCountOf(r) == 2 && r.IsCompleted),
            "the second delivery backed off or ended");
        clock.Advance(TimeSpan.FromMinutes(1)); // the first call's answer is due now
        await app.SettledAsync();

        Assert.AreEqual(202, status);
        var timeline = app.Timeline("WarehouseInventory", MessageId);
        Assert.AreEqual(1, app.Host.Warehouse.Faults.CallsOf(WarehouseStandIn.CreateOperation), "the redelivery must not call the warehouse again\n" + timeline);
        Assert.AreEqual(1, app.Host.Warehouse.ReservationHistory.Count(r => r.OrderId == "E2E-3201" && r.Change == "create"));

        var runs = app.RunsOf("WarehouseInventory", MessageId);
        Assert.HasCount(3, runs, "the work, one back-off, the completion:\n" + timeline);
        var first = runs.Single(r => LocalApp.DeliveryCountOf(r) == 1);
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, first.Action("Call_the_warehouse_API").Status);
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Failed, first.Action("Complete_the_message").Status, "its session lock was gone");

        var redelivery = runs.Single(r => LocalApp.DeliveryCountOf(r) == 2);
        Assert.AreEqual("InProgressElsewhere", SubscriberRuns.Claim(redelivery));
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, redelivery.Action("Abandon_the_message").Status);

        var last = runs[^1];
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Claim(last));
        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, last.Action("Complete_the_message").Status, "the message is completed in the end");
        Assert.IsEmpty(app.Host.Teams.PostedCards, "nothing was dead-lettered");
    }
}
