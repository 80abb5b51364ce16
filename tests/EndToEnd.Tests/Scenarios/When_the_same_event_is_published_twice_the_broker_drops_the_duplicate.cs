using EndToEnd.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_the_same_event_is_published_twice_the_broker_drops_the_duplicate
{
    [TestMethod]
    public async Task A_second_post_with_the_same_messageId_is_accepted_but_every_subscriber_runs_once()
    {
        await using var app = await LocalApp.StartAsync();
        var order = LocalApp.Variant("OrderCreated.standard", "E2E-5001");

        var first = await app.PostAsync(order);
        var second = await app.PostAsync(order);
        await app.SettledAsync();

        Assert.AreEqual(202, first.Status);
        Assert.AreEqual(202, second.Status, "duplicate detection accepts the send and drops it silently");
        Assert.HasCount(2, app.Host.History.Query(new Workflows.Runtime.History.RunQuery(WorkflowName: "OrderIntake")));
        foreach (var subscriber in new[] { "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive" })
        {
            Assert.HasCount(1, app.RunsOf(subscriber, "E2E-5001-ordercreated-v1"), subscriber);
        }
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-5001"));
        Assert.HasCount(1, app.Host.Twilio.SentMessages);
    }

    [TestMethod]
    public async Task A_resubmitted_intake_run_publishes_the_same_messageId_which_the_topic_drops_as_a_duplicate()
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        var first = await app.Host.Engine.InvokeRequestTriggerAsync("OrderIntake", null, "POST", new JObject(), LocalApp.Order("E2E-5002"), null);
        await first.Run!.Completion;
        await app.SettledAsync();

        var resubmitted = await app.Host.Engine.ResubmitAsync(first.Run.Id);
        await app.SettledAsync();

        Assert.AreEqual(Workflows.Runtime.WorkflowStatus.Succeeded, resubmitted.Status);
        Assert.HasCount(1, app.RunsOf("LakeArchive", "E2E-5002-ordercreated-v1"));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("E2E-5002"));
    }
}
