using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>
/// A transient fault (the downstream cannot be reached, or answers 5xx through the work step's own retries) fails
/// the run as TransientFailure: every delivery before the last is abandoned and releases its claim, so the broker's
/// redelivery tries again; the last one is dead-lettered as TransientFailureExhausted. <c>workTried</c> is what one
/// failed delivery did downstream (calls made, or lake files written).
/// </summary>
[TestClass]
public sealed class When_a_downstream_fails_transiently_the_message_is_retried_until_its_last_delivery
{
    // Two deliveries keep the scenarios short; the workflows read the limit from their app settings.
    private const int MaxDeliveries = 2;

    [TestMethod]
    [DataRow("SapFulfillment", 1, DisplayName = "SapFulfillment: the RFC call fails (no retry policy)")]
    [DataRow("SmsNotification", 3, DisplayName = "SmsNotification: 503 through Send_SMS's two retries")]
    [DataRow("WarehouseInventory", 5, DisplayName = "WarehouseInventory: 503 through the API call's four retries")]
    [DataRow("LakeArchive", 0, DisplayName = "LakeArchive: the storage account cannot be reached")]
    public async Task A_failed_delivery_before_the_last_is_abandoned_and_releases_its_claim(string workflow, int workTried)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario(MaxDeliveries);
        subscriber.FailTransiently(scenario, deliveries: 1);
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync(workflow, delivery);

        run.ShouldHaveFailedWith("TransientFailure");
        StringAssert.Contains(run.Error!.Value<string>("message"), subscriber.TransientFailure);
        Assert.AreEqual(workTried, await subscriber.WorkDone(scenario), "the first attempt and the work step's own retries");
        Assert.AreEqual(subscriber.Abandon, scenario.Bus.SettlementsOf(delivery).Single().Operation);
        Assert.IsNull(await scenario.IdempotencyRecord(subscriber.Subscription, Subscriber.MessageId), "the claim is released so a redelivery may try again");
        if (workflow == "SmsNotification")
        {
            // Send_SMS's retry policy waits between 10 and 30 seconds.
            Assert.IsTrue(scenario.Host.Clock.Waits.All(w => w >= TimeSpan.FromSeconds(10) && w <= TimeSpan.FromSeconds(30)), string.Join(", ", scenario.Host.Clock.Waits));
        }
    }

    [TestMethod]
    [DataRow("SapFulfillment", 1)]
    [DataRow("SmsNotification", 3)]
    [DataRow("WarehouseInventory", 5)]
    [DataRow("LakeArchive", 0)]
    public async Task A_redelivery_after_the_downstream_recovered_does_the_work_and_completes_the_message(string workflow, int workTried)
    {
        var subscriber = Subscriber.Named(workflow);
        var sap = workflow == "SapFulfillment";
        using var scenario = subscriber.Scenario(sap ? MaxDeliveries + 1 : MaxDeliveries);
        subscriber.FailTransiently(scenario, deliveries: 1);
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync(workflow, first);

        var second = scenario.Bus.Redeliver(first);
        var run = await scenario.DeliverAsync(workflow, second);
        if (sap)
        {
            // A failed create may have reached SAP (a lost reply looks the same): the redelivery asks SAP with GetList,
            // finds no order, gives the claim back, and the delivery after creates it.
            run.ShouldHaveFailedWith("TransientFailure");
            StringAssert.Contains(run.Error!.Value<string>("message"), "SAP holds no sales order");
            StringAssert.StartsWith(scenario.Sap.BapiCalls[^1].Parameters.Value<string>("method"), "GETLIST");
            second = scenario.Bus.Redeliver(second);
            run = await scenario.DeliverAsync(workflow, second);
        }

        run.ShouldHaveSucceeded();
        Assert.AreEqual(workTried + (sap ? 2 : 1), await subscriber.WorkDone(scenario), sap ? "the look-up, then the create, which succeeds" : "one more call, which succeeds");
        Assert.AreEqual(subscriber.Complete, scenario.Bus.SettlementsOf(second).Single().Operation);
        if (sap) Assert.AreEqual(1, scenario.Sap.Committed.Count);
    }

    [TestMethod]
    [DataRow("SapFulfillment", 1)]
    [DataRow("SmsNotification", 3)]
    [DataRow("WarehouseInventory", 5)]
    [DataRow("LakeArchive", 0)]
    public async Task The_last_delivery_is_dead_lettered_as_TransientFailureExhausted_with_the_last_error(string workflow, int workTried)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario(MaxDeliveries);
        subscriber.FailTransiently(scenario, deliveries: MaxDeliveries);
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync(workflow, first);
        var last = scenario.Bus.Redeliver(first);

        var run = await scenario.DeliverAsync(workflow, last);

        run.ShouldHaveFailedWith("TransientFailure");
        CollectionAssert.AreEqual(new[] { "abandon", "deadLetter" }, scenario.Bus.Settlements.Select(s => s.Kind).ToArray());
        var settlement = scenario.Bus.SettlementsOf(last).Single();
        Assert.AreEqual(subscriber.DeadLetter, settlement.Operation);
        Assert.AreEqual("TransientFailureExhausted", settlement.DeadLetterReason);
        StringAssert.StartsWith(settlement.DeadLetterErrorDescription, $"Still failing after {MaxDeliveries} deliveries (max {MaxDeliveries}).");
        StringAssert.Contains(settlement.DeadLetterErrorDescription, subscriber.TransientFailure);
        Assert.AreEqual(MaxDeliveries * workTried, await subscriber.WorkDone(scenario));
    }
}
