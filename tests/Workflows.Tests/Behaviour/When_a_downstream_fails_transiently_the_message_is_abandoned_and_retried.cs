using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;

namespace Workflows.Tests.Behaviour;

[TestClass]
public sealed class When_a_downstream_fails_transiently_the_message_is_abandoned_and_retried
{
    [TestMethod]
    public async Task A_lost_SAP_connection_is_retried_on_the_next_delivery_and_creates_one_sales_order()
    {
        await using var app = await BehaviourApp.StartAsync();
        app.Host.Sap.Faults.FailNext(1, SapFault.CommunicationFailure(), FakeSapSystem.CallBapiOperation);

        await app.PublishAsync(BehaviourApp.Order("B-TRANS-SAP"));
        await app.SettledAsync();

        AssertAbandonedThenCompleted(app.RunsOf("SapFulfillment", "B-TRANS-SAP-ordercreated"));
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("B-TRANS-SAP"));
    }

    [TestMethod]
    public async Task Twilio_failing_beyond_the_retry_policy_is_retried_on_the_next_delivery_and_sends_one_SMS()
    {
        await using var app = await BehaviourApp.StartAsync();
        // Send_SMS retries twice (3 calls): three 503s fail the first delivery.
        app.Host.Twilio.Faults.FailNext(3, HttpFault.ServerError(503), TwilioStandIn.SendMessageOperation);

        await app.PublishAsync(BehaviourApp.Order("B-TRANS-SMS"));
        await app.SettledAsync();

        AssertAbandonedThenCompleted(app.RunsOf("SmsNotification", "B-TRANS-SMS-ordercreated"));
        Assert.HasCount(1, app.Host.Twilio.SentMessages);
    }

    [TestMethod]
    public async Task A_throttled_warehouse_beyond_the_retry_policy_is_retried_on_the_next_delivery_and_reserves_once()
    {
        await using var app = await BehaviourApp.StartAsync();
        // Call_the_warehouse_API retries four times (5 calls).
        app.Host.Warehouse.Faults.FailNext(5, HttpFault.TooManyRequests(TimeSpan.FromSeconds(2)));

        await app.PublishAsync(BehaviourApp.Order("B-TRANS-WH"));
        await app.SettledAsync();

        AssertAbandonedThenCompleted(app.RunsOf("WarehouseInventory", "B-TRANS-WH-ordercreated"));
        Assert.AreEqual(1, app.Host.Warehouse.ReservationHistory.Count(r => r.OrderId == "B-TRANS-WH"));
    }

    [TestMethod]
    public async Task An_unreachable_lake_is_retried_on_the_next_delivery_and_writes_one_file()
    {
        await using var app = await BehaviourApp.StartAsync(store => new FlakyObjectStore(store, "orders/", failures: 1));

        await app.PublishAsync(BehaviourApp.Order("B-TRANS-LAKE"));
        await app.SettledAsync();

        AssertAbandonedThenCompleted(app.RunsOf("LakeArchive", "B-TRANS-LAKE-ordercreated"));
        Assert.AreEqual(1, app.EffectsFor("B-TRANS-LAKE").LakeFiles);
    }

    [TestMethod]
    public async Task Teams_down_through_every_retry_outlives_the_alert_lock_but_the_dead_letter_is_alerted_and_archived_in_the_end()
    {
        await using var app = await BehaviourApp.StartAsync();
        // Post_alert_to_Teams retries three times, exponentially from 10 s to 1 min: four failed calls take longer
        // than the dead-letter queue's 1-minute lock, so the broker hands the dead letter out again meanwhile.
        app.Host.Teams.Faults.FailNext(4, HttpFault.ServerError(503), TeamsStandIn.PostCardOperation);

        await app.SendPoisonAsync("B-TRANS-TEAMS", "B-TRANS-TEAMS-ORDER", routedToAll: false);
        await app.SettledAsync();

        var alerts = app.RunsOf("LakeArchiveDeadLetters", "B-TRANS-TEAMS");
        Assert.IsGreaterThanOrEqualTo(2, alerts.Count, "the lock expired during the retries, so the dead letter was delivered again");
        Assert.IsTrue(alerts.Any(r => BehaviourApp.ActionStatus(r, "Complete_the_dead_letter") == "Succeeded"), "one delivery completed the dead letter");
        Assert.IsGreaterThanOrEqualTo(1, app.Host.Teams.PostedCards.Count(c => c.Text.Contains("B-TRANS-TEAMS", StringComparison.Ordinal)));
        Assert.HasCount(1, await app.Host.Store.ListAsync(app.Host.CustomCode.Options.LakeContainer, "deadletters/lake-archive/").ToListAsync());
        Assert.AreEqual(0, app.Host.Bus.GetMessageCounts("deadletters-lake-archive").Active);
        Assert.AreEqual(0, app.Host.Bus.GetMessageCounts("deadletters-lake-archive").DeadLetter, "the alert itself must not be dead-lettered");
    }

    private static void AssertAbandonedThenCompleted(IReadOnlyList<Workflows.Runtime.History.WorkflowRun> runs)
    {
        Assert.IsGreaterThanOrEqualTo(2, runs.Count, "the transient failure must lead to a redelivery");
        Assert.AreEqual("abandon", BehaviourApp.Settlement(runs[0]));
        Assert.AreEqual("complete", BehaviourApp.Settlement(runs[^1]));
    }
}
