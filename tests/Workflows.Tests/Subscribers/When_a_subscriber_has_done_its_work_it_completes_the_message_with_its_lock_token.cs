using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>The happy path's settlement, the same for every subscriber; what each one's downstream receives is its
/// own spec in its folder.</summary>
[TestClass]
public sealed class When_a_subscriber_has_done_its_work_it_completes_the_message_with_its_lock_token
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_message_is_completed_once_on_its_entity_and_the_run_is_tracked_by_the_correlation_id(string workflow)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(Subscriber.CorrelationId, run.ClientTrackingId);
        Assert.AreEqual(1, await subscriber.WorkDone(scenario));
        var settlement = scenario.Bus.Settlements.Single();
        Assert.AreEqual(subscriber.Complete, settlement.Operation);
        subscriber.ShouldBeSettledOnItsEntity(settlement, Subscriber.MessageId);
        Assert.AreEqual(delivery.Value<string>("lockToken"), settlement.LockToken);
        Assert.IsTrue(settlement.Accepted);
    }
}
