using Workflows.Runtime;
using Workflows.Runtime.Engine;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>
/// The host dies after the Prepare action stored the idempotency claim and before the action's result was checkpointed.
/// Azure (and the local runtime) resumes the run under the same run name and runs the Prepare action again: the claim is
/// the run's own (the workflow passes <c>workflow()?['run']?['name']</c> as its owner), so the resumed run gets it back
/// and does the work, instead of finding it "held elsewhere" for the whole lease while redeliveries use up the delivery
/// count and dead-letter a good message (found by <c>simulate --crash-process</c>, docs/benchmarks-history.md).
/// </summary>
[TestClass]
public sealed class When_the_host_dies_right_after_the_claim_the_resumed_run_gets_its_own_claim_back
{
    [TestMethod]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    public async Task The_resumed_run_does_the_work_once_and_completes_the_message(string workflow)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        DieRightAfterTheClaim(scenario);

        await Assert.ThrowsExactlyAsync<RunInterruptedException>(() => scenario.DeliverAsync(workflow, delivery));
        var claim = await scenario.IdempotencyRecord(subscriber.Subscription, Subscriber.MessageId);
        Assert.AreEqual("InProgress", claim?.Value<string>("state"), "the claim was stored before the host died");

        var resumed = (await scenario.Host.Engine.ResumeUnfinishedRunsAsync()).Single();
        var run = await resumed.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        run.ShouldHaveSucceeded();
        Assert.AreEqual("Succeeded", run.Outcome(), "the resumed run holds its own claim, not one held elsewhere");
        Assert.AreEqual(1, await subscriber.WorkDone(scenario));
        Assert.AreEqual("Completed", (await scenario.IdempotencyRecord(subscriber.Subscription, Subscriber.MessageId))?.Value<string>("state"));
        var settlement = scenario.Bus.SettlementsOf(delivery).Single();
        Assert.AreEqual(subscriber.Complete, settlement.Operation);
        Assert.IsTrue(settlement.Accepted);
    }

    /// <summary>SAP's create claims the ORDER (the registry record). The resumed run gets it back too, but its earlier life
    /// may have created the order, so it asks SAP for the order before creating it, as for a claim taken over.</summary>
    [TestMethod]
    public async Task The_resumed_SAP_create_asks_SAP_for_the_order_before_creating_it()
    {
        var subscriber = Subscriber.Named("SapFulfillment");
        using var scenario = subscriber.Scenario();
        var delivery = await scenario.Delivery("valid/OrderCreated.standard.json");
        DieRightAfterTheClaim(scenario);
        await Assert.ThrowsExactlyAsync<RunInterruptedException>(() => scenario.DeliverAsync("SapFulfillment", delivery));

        var resumed = (await scenario.Host.Engine.ResumeUnfinishedRunsAsync()).Single();
        var run = await resumed.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.AreEqual("TransientFailure", run.Outcome(), "SAP holds no order: the claim is given back for the next delivery, not held elsewhere; " + run.Describe());
        StringAssert.StartsWith(scenario.Sap.BapiCalls.Single().Parameters.Value<string>("method"), "GETLIST:", "the resumed run looked the order up instead of creating it");
        var next = await scenario.DeliverAsync("SapFulfillment", scenario.Bus.Redeliver(delivery));
        next.ShouldHaveSucceeded();
        Assert.HasCount(1, scenario.Sap.Committed, "one sales order is created");
    }

    private static void DieRightAfterTheClaim(WorkflowScenario scenario) =>
        scenario.Store.AfterNextCreate(scenario.Services.Options.IdempotencyContainer, () =>
        {
            Assert.IsTrue(scenario.Host.Engine.Interrupt(WorkflowEngine.CurrentRun!), "the claiming run is in flight");
            throw new OperationCanceledException("The host died right after the claim was stored.");
        });
}
