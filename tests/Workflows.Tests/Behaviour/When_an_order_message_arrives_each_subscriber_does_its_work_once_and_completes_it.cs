namespace Workflows.Tests.Behaviour;

[TestClass]
public sealed class When_an_order_message_arrives_each_subscriber_does_its_work_once_and_completes_it
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_subscriber_runs_once_and_completes_the_message(string workflow)
    {
        await using var app = await BehaviourApp.StartAsync();
        var order = BehaviourApp.Order("B-HAPPY-1");

        await app.PublishAsync(order);
        await app.SettledAsync();

        var run = app.RunsOf(workflow, "B-HAPPY-1-ordercreated").Single();
        Assert.AreEqual("complete", BehaviourApp.Settlement(run));
        Assert.AreEqual("Succeeded", BehaviourApp.ActionStatus(run, "Complete_the_message"));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("B-HAPPY-1"));
        Assert.AreEqual(0, app.Host.Bus.GetMessageCounts($"orders/Subscriptions/{BehaviourApp.SubscriptionOf[workflow]}").Active);
    }

    [TestMethod]
    public async Task The_intake_accepts_a_valid_event_and_publishes_it_once()
    {
        await using var app = await BehaviourApp.StartAsync();

        var response = await app.Host.Engine.InvokeRequestTriggerAsync("OrderIntake", null, "POST", new Newtonsoft.Json.Linq.JObject(), BehaviourApp.Order("B-HAPPY-2"), null);
        await app.SettledAsync();

        Assert.AreEqual(202, response.StatusCode, response.Body?.ToString());
        Assert.AreEqual("B-HAPPY-2-ordercreated", response.Body?.Value<string>("messageId"));
        Assert.HasCount(1, app.RunsOf("LakeArchive", "B-HAPPY-2-ordercreated"));
    }
}
