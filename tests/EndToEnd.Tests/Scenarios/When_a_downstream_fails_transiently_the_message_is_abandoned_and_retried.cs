using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.StandIns.Faults;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.StandIns.Teams;
using LocalLogicApp.StandIns.Twilio;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_a_downstream_fails_transiently_the_message_is_abandoned_and_retried
{
    [TestMethod]
    [DataRow("SapFulfillment", DisplayName = "SAP: a lost RFC connection")]
    [DataRow("SmsNotification", DisplayName = "Twilio: 503 through Send_SMS's two retries")]
    [DataRow("WarehouseInventory", DisplayName = "warehouse: 429 through the API call's four retries")]
    [DataRow("LakeArchive", DisplayName = "lake: the storage account cannot be reached")]
    public async Task The_failed_delivery_is_abandoned_and_a_redelivery_does_the_work_once(string workflow)
    {
        var orderId = "E2E-TRANS-" + LocalApp.SubscriptionOf[workflow];
        await using var app = await LocalApp.StartOnManualClockAsync(
            workflow == "LakeArchive" ? store => new FlakyObjectStore(store, "orders/", failures: 1) : null);
        switch (workflow)
        {
            case "SapFulfillment":
                app.Host.Sap.Faults.FailNext(1, SapFault.CommunicationFailure(), FakeSapSystem.CallBapiOperation);
                break;
            case "SmsNotification":
                // Send_SMS retries twice (3 calls): three 503s fail the first delivery.
                app.Host.Twilio.Faults.FailNext(3, HttpFault.ServerError(503), TwilioStandIn.SendMessageOperation);
                break;
            case "WarehouseInventory":
                // Call_the_warehouse_API retries four times (5 calls).
                app.Host.Warehouse.Faults.FailNext(5, HttpFault.TooManyRequests(TimeSpan.FromSeconds(2)));
                break;
        }

        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", orderId));
        await app.SettledAsync();

        Assert.AreEqual(202, status, body?.ToString());
        var runs = app.RunsOf(workflow, $"{orderId}-ordercreated-v1");
        // A lost RFC connection may have come after SAP created the order: the redelivery asks SAP first (GetList), finds
        // none and gives the order's claim back, and the delivery after creates it.
        Assert.HasCount(workflow == "SapFulfillment" ? 3 : 2, runs, app.Timeline(workflow, $"{orderId}-ordercreated-v1"));
        Assert.IsTrue(runs.SkipLast(1).All(r => LocalApp.Settlement(r) == "abandon"), app.Timeline(workflow, $"{orderId}-ordercreated-v1"));
        Assert.AreEqual("complete", LocalApp.Settlement(runs[^1]));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor(orderId), "every downstream changed once, the one that failed included");
        Assert.IsEmpty(app.Host.Teams.PostedCards);
    }

    [TestMethod]
    public async Task Teams_down_through_every_retry_outlives_the_alert_lock_but_the_dead_letter_is_alerted_and_archived_in_the_end()
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        // Post_alert_to_Teams retries three times, exponentially from 10 s to 1 min: four failed calls take longer
        // than the dead-letter queue's 1-minute lock, so the broker hands the dead letter out again meanwhile.
        app.Host.Teams.Faults.FailNext(4, HttpFault.ServerError(503), TeamsStandIn.PostCardOperation);

        await app.SendPoisonAsync("E2E-TRANS-TEAMS", "E2E-TRANS-TEAMS-ORDER", routedToAll: false);
        await app.SettledAsync();

        var alerts = app.RunsOf("LakeArchiveDeadLetters", "E2E-TRANS-TEAMS");
        Assert.IsGreaterThanOrEqualTo(2, alerts.Count, "the lock expired during the retries, so the dead letter was delivered again");
        Assert.IsTrue(alerts.Any(r => LocalApp.ActionStatus(r, "Complete_the_dead_letter") == "Succeeded"), "one delivery completed the dead letter");
        Assert.IsGreaterThanOrEqualTo(1, app.Host.Teams.PostedCards.Count(c => c.Text.Contains("E2E-TRANS-TEAMS", StringComparison.Ordinal)));
        Assert.HasCount(1, await app.Host.Store.ListAsync(app.Host.CustomCode.Options.LakeContainer, "deadletters/lake-archive/").ToListAsync());
        Assert.AreEqual(0, app.Host.Bus.GetMessageCounts("deadletters-lake-archive").Active);
        Assert.AreEqual(0, app.Host.Bus.GetMessageCounts("deadletters-lake-archive").DeadLetter, "the alert itself must not be dead-lettered");
    }
}
