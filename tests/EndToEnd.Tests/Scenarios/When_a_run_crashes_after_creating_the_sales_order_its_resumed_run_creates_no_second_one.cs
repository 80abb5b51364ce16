using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;
using LocalLogicApp.StandIns.Sap;
using Workflows.Runtime.Engine;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Scenarios;

/// <summary>
/// The host died while Call_SAP_BAPI was in flight, after SAP had created and committed the order. As in Azure, the
/// resumed run runs that action again with the same inputs: only SAP can refuse, and it does (the document type's
/// duplicate purchase order check, a deployment prerequisite). The refusal says "the order may exist already", so the
/// claim ends outcome unknown and the redelivery finds the order with GetList and completes.
/// </summary>
[TestClass]
public sealed class When_a_run_crashes_after_creating_the_sales_order_its_resumed_run_creates_no_second_one
{
    [TestMethod]
    public async Task SAP_refuses_the_repeated_create_and_the_redelivery_records_the_order_it_finds()
    {
        await using var app = await LocalApp.StartAsync(new ManualClock(), maxConcurrentSessions: 1);
        var crashed = 0;
        app.Host.Sap.AfterCall = operation =>
        {
            if (operation != FakeSapSystem.CallBapiOperation || Interlocked.Exchange(ref crashed, 1) == 1) return;
            Assert.IsTrue(app.Host.Engine.Interrupt(WorkflowEngine.CurrentRun!), "the run calling SAP is in flight");
            throw new OperationCanceledException("The host died after SAP committed (test).");
        };

        await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-3102"));
        LocalApp.HoldUntil(() => app.Host.History.Unfinished().Count == 1, "the SapFulfillment run is interrupted");
        var resumed = await app.Host.Engine.ResumeUnfinishedRunsAsync();
        await app.RunsFinishedAsync("SapFulfillment", "E2E-3102-ordercreated-v1", 1);
        // The dead host's session lock is held until it expires (the resumed run cannot settle with it), as in Azure.
        LocalApp.HoldUntil(() => app.OnlyBusyWith("SapFulfillment", "sap-fulfillment"), "only SapFulfillment is left with work");
        app.Clock!.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)); // sap-fulfillment's LockDuration in deploy/servicebus/Config.json
        await app.SettledAsync();

        Assert.HasCount(1, resumed);
        var runs = app.RunsOf("SapFulfillment", "E2E-3102-ordercreated-v1");
        Assert.HasCount(2, runs, app.Timeline("SapFulfillment", "E2E-3102-ordercreated-v1"));
        var repeated = app.Host.Sap.Calls.Where(c => c.Operation == FakeSapSystem.CallBapiOperation && c.Method!.StartsWith("CREATEFROMDAT2", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(2, repeated, "the resumed run sent the create again");
        Assert.AreEqual("BusinessError", repeated[1].Outcome);
        StringAssert.Contains(repeated[1].ResponseXml, "<NUMBER>115</NUMBER>");
        Assert.AreEqual("OutcomeUnknown", SubscriberRuns.Body(runs[0], "Decide_settlement")!["claim"]!.Value<string>("closing"));
        Assert.AreEqual("TransientFailure", SubscriberRuns.Body(runs[0], "Classify_outcome")!.Value<string>("outcome"));
        Assert.AreEqual("FindSalesOrder", SubscriberRuns.Body(runs[1], "Prepare_the_SAP_sales_order")!["sap"]!.Value<string>("operation"));
        Assert.IsTrue(SubscriberRuns.Settled(runs[1]));

        var orders = app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-3102");
        Assert.HasCount(1, orders, "no second sales order");
        var recorded = await app.Host.Store.ReadAsync(app.Host.CustomCode.Options.IdempotencyContainer, "sap-orders/E2E-3102.json");
        StringAssert.Contains(System.Text.Encoding.UTF8.GetString(recorded!.Content.Span), orders[0].SalesDocument);
    }
}
