using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Reporting;
using LocalLogicApp.StandIns.Sap;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Scenarios;

/// <summary>
/// SAP created and committed the sales order, and the RFC connection dropped before the answer came back: the run saw a
/// communication failure. The order's claim is not given back as fresh; the redelivery asks SAP for the order by its
/// purchase order number (BAPI_SALESORDER_GETLIST), records the document it finds and completes, so no second order is
/// created, and the later cancellation changes that one document.
/// </summary>
[TestClass]
public sealed class When_the_SAP_reply_is_lost_no_second_sales_order_is_created
{
    [TestMethod]
    public async Task The_redelivery_finds_the_order_in_SAP_records_it_and_the_cancellation_changes_it()
    {
        await using var app = await LocalApp.StartAsync(new ManualClock(), maxConcurrentSessions: 1);
        app.Host.Sap.Faults.FailNext(1, SapFault.ReplyLost(), FakeSapSystem.CallBapiOperation);

        var (status, _) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-3101"));
        await app.SettledAsync();

        Assert.AreEqual(202, status);
        var runs = app.RunsOf("SapFulfillment", "E2E-3101-ordercreated-v1");
        Assert.HasCount(2, runs, app.Timeline("SapFulfillment", "E2E-3101-ordercreated-v1"));
        Assert.AreEqual("abandon", LocalApp.Settlement(runs[0]));
        Assert.AreEqual("OutcomeUnknown", SubscriberRuns.Body(runs[0], "Decide_settlement")!["claim"]!.Value<string>("closing"));
        Assert.AreEqual("FindSalesOrder", SubscriberRuns.Body(runs[1], "Prepare_the_SAP_sales_order")!["sap"]!.Value<string>("operation"));
        Assert.AreEqual("complete", LocalApp.Settlement(runs[1]));
        Assert.IsTrue(SubscriberRuns.Settled(runs[1]));

        var orders = app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-3101");
        Assert.HasCount(1, orders, "the redelivery must not create a second sales order");
        CollectionAssert.AreEqual(new[] { "CREATEFROMDAT2", "GETLIST:BAPI_SALESORDER_GETLIST" },
            app.Host.Sap.Calls.Where(c => c.Operation == FakeSapSystem.CallBapiOperation).Select(c => c.Method!.StartsWith("CREATEFROMDAT2", StringComparison.Ordinal) ? "CREATEFROMDAT2" : c.Method).ToArray());

        await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-3101", "OrderCancelled"));
        await app.SettledAsync();

        Assert.AreEqual(SapSalesOrder.Rejected, app.Host.Sap.SalesOrders[orders[0].SalesDocument].Status, "the cancellation reached the one document found");
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-3101"));
    }
}
