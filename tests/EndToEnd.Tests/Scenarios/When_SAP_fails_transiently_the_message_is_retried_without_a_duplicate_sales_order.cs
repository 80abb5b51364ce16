using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.StandIns.Sap;
using LocalLogicApp.Reporting;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_SAP_fails_transiently_the_message_is_retried_without_a_duplicate_sales_order
{
    [TestMethod]
    public async Task A_lost_RFC_connection_abandons_the_message_and_the_redelivery_creates_the_one_sales_order()
    {
        await using var app = await LocalApp.StartAsync();
        app.Host.Sap.Faults.FailNext(1, SapFault.CommunicationFailure(), FakeSapSystem.CallBapiOperation);

        var (status, _) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-2001"));
        await app.SettledAsync();

        Assert.AreEqual(202, status);
        var runs = app.RunsOf("SapFulfillment", "E2E-2001-ordercreated-v1");
        Assert.HasCount(2, runs);
        Assert.AreEqual("abandon", SubscriberRuns.Describe("SapFulfillment", [runs[0]]).Settlement);
        Assert.AreEqual("complete", SubscriberRuns.Describe("SapFulfillment", [runs[1]]).Settlement);
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-2001"));
        Assert.IsEmpty(app.Host.Teams.PostedCards);
    }
}
