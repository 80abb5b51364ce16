using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

[TestClass]
public sealed class When_the_same_order_event_is_delivered_twice_the_subscriber_does_its_work_once
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_second_delivery_is_completed_as_already_completed_without_doing_the_work_again(string workflow)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var message = await scenario.PublishedMessage("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync(workflow, scenario.Bus.Deliver(message));

        // The sender published the same business message again (same messageId, new broker delivery and lock).
        var second = scenario.Bus.Deliver(message);
        var run = await scenario.DeliverAsync(workflow, second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.AreEqual(1, await subscriber.WorkDone(scenario));
        var settlement = scenario.Bus.SettlementsOf(second).Single();
        Assert.AreEqual(subscriber.Complete, settlement.Operation);
        Assert.IsTrue(settlement.Accepted);
        switch (workflow)
        {
            case "SapFulfillment":
                Assert.AreEqual(1, scenario.Sap.Committed.Count);
                break;
            case "LakeArchive":
                Assert.IsFalse(run.Action("Archive_the_order_event").Body()!["lake"]!.Value<bool>("created"), "the lake file already held the event: nothing was written");
                break;
        }
    }
}
