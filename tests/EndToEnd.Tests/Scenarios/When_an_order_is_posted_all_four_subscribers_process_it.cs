using EndToEnd.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_an_order_is_posted_all_four_subscribers_process_it
{
    [TestMethod]
    public async Task The_order_reaches_SAP_the_customer_the_warehouse_and_the_lake_once_each()
    {
        await using var app = await LocalApp.StartAsync();
        var order = JObject.Parse(LocalApp.Variant("OrderCreated.standard", "E2E-1001"));

        var (status, body) = await app.PostAsync(order.ToString());
        await app.SettledAsync();

        Assert.AreEqual(202, status, body?.ToString());
        var sapOrder = app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-1001").Single();
        Assert.AreEqual("Open", sapOrder.Status);
        var sms = app.Host.Twilio.SentMessages.Single();
        StringAssert.Contains(sms.Body, "E2E-1001");
        Assert.AreEqual((string)order["data"]!["customer"]!["phone"]!, sms.To);
        Assert.AreEqual("Reserved", app.Host.Warehouse.Reservations["E2E-1001"].Status);
        var lakeFiles = await app.Host.Store.ListAsync(app.Host.CustomCode.Options.LakeContainer, "orders/").ToListAsync();
        Assert.HasCount(1, lakeFiles.Where(f => f.Contains("E2E-1001-ordercreated-v1", StringComparison.Ordinal)).ToList());
        foreach (var subscriber in LocalApp.Subscribers)
        {
            var run = app.RunsOf(subscriber, "E2E-1001-ordercreated-v1").Single();
            Assert.IsTrue(LocalLogicApp.Reporting.SubscriberRuns.Settled(run), $"{subscriber} did not settle");
            Assert.AreEqual("complete", LocalApp.Settlement(run), subscriber);
            Assert.AreEqual("Succeeded", LocalApp.ActionStatus(run, "Complete_the_message"), subscriber);
            Assert.AreEqual(0, app.Host.Bus.GetMessageCounts($"orders/Subscriptions/{LocalApp.SubscriptionOf[subscriber]}").Active, subscriber);
        }
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("E2E-1001"));
        Assert.IsEmpty(app.Host.Teams.PostedCards);
    }
}
