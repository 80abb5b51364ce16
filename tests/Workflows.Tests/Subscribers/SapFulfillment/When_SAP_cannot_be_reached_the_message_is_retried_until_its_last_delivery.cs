using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_SAP_cannot_be_reached_the_message_is_retried_until_its_last_delivery
{
    // Three deliveries keep the scenario short; the workflow reads the limit from its app setting.
    private static readonly Dictionary<string, string> MaxThreeDeliveries = new() { ["Orders_SapFulfillmentMaxDeliveryCount"] = "3" };

    [TestMethod]
    public async Task Each_delivery_before_the_last_is_abandoned_and_releases_its_claim()
    {
        using var scenario = new WorkflowScenario(MaxThreeDeliveries);
        scenario.Sap.FailNextCalls(1);
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveFailedWith("TransientFailure");
        StringAssert.Contains(run.Error!.Value<string>("message"), "Call_SAP_BAPI ended Failed with HTTP 502");
        Assert.AreEqual("abandonMessageInSession", scenario.Bus.SettlementsOf(delivery).Single().Operation);
        Assert.IsNull(await scenario.IdempotencyRecord("sap-fulfillment", "order-100482-created-v1"), "the claim is released so a redelivery may try again");
    }

    [TestMethod]
    public async Task A_redelivery_after_SAP_recovered_creates_the_order()
    {
        using var scenario = new WorkflowScenario(MaxThreeDeliveries);
        scenario.Sap.FailNextCalls(1);
        var first = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("SapFulfillment", first);

        var second = scenario.Bus.Redeliver(first);
        var run = await scenario.DeliverAsync("SapFulfillment", second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(2, scenario.Sap.BapiCalls.Count);
        Assert.AreEqual(1, scenario.Sap.Committed.Count);
        Assert.AreEqual("completeMessageInSession", scenario.Bus.SettlementsOf(second).Single().Operation);
    }

    [TestMethod]
    public async Task The_last_delivery_is_dead_lettered_as_TransientFailureExhausted_with_the_last_error()
    {
        using var scenario = new WorkflowScenario(MaxThreeDeliveries);
        scenario.Sap.FailNextCalls(3);
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("SapFulfillment", delivery);
        delivery = scenario.Bus.Redeliver(delivery);
        await scenario.DeliverAsync("SapFulfillment", delivery);
        delivery = scenario.Bus.Redeliver(delivery);

        var run = await scenario.DeliverAsync("SapFulfillment", delivery);

        run.ShouldHaveFailedWith("TransientFailure");
        CollectionAssert.AreEqual(new[] { "abandon", "abandon", "deadLetter" }, scenario.Bus.Settlements.Select(s => s.Kind).ToArray());
        var last = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual("deadLetterMessageInSession", last.Operation);
        Assert.AreEqual("TransientFailureExhausted", last.DeadLetterReason);
        StringAssert.StartsWith(last.DeadLetterErrorDescription, "Still failing after 3 deliveries (max 3).");
        StringAssert.Contains(last.DeadLetterErrorDescription, "Call_SAP_BAPI ended Failed with HTTP 502");
        Assert.AreEqual(3, scenario.Sap.BapiCalls.Count);
    }
}
