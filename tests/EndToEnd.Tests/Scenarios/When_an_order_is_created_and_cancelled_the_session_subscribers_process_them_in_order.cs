using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Bindings.ServiceBus;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using Workflows.Runtime.Bindings;

namespace EndToEnd.Tests.Scenarios;

[TestClass]
public sealed class When_an_order_is_created_and_cancelled_the_session_subscribers_process_them_in_order
{
    [TestMethod]
    public async Task Both_events_published_together_are_handled_created_first_by_SAP_and_the_warehouse()
    {
        await using var app = await LocalApp.StartAsync();
        var catalog = new FunctionCatalog(new OrderEventFunctions(app.Host.CustomCode));
        var messages = new JArray();
        foreach (var eventType in new[] { "OrderCreated", "OrderCancelled" })
        {
            var orderEvent = JObject.Parse(LocalApp.Variant("OrderCreated.standard", "E2E-4001", eventType));
            var built = await catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = orderEvent });
            messages.Add(built["message"]!);
        }

        // One batch, as one publisher call: both are in the session before any receiver accepts it.
        var send = await app.Host.ServiceBusConnector.InvokeActionAsync(new ServiceProviderRequest(
            "test", "Publish", ServiceBusBinding.Id, "sendMessages", "serviceBusPublisher", new JObject(),
            new JObject { ["entityName"] = "orders", ["messages"] = messages }), default);
        await app.SettledAsync();

        Assert.AreEqual(200, send.StatusCode, send.Body?.ToString());
        foreach (var workflow in new[] { "SapFulfillment", "WarehouseInventory" })
        {
            var created = app.RunsOf(workflow, "E2E-4001-ordercreated-v1").Single();
            var cancelled = app.RunsOf(workflow, "E2E-4001-ordercancelled-v1").Single();
            Assert.IsTrue(created.EndTime <= cancelled.StartTime, $"{workflow} started the cancellation before the creation ended");
        }
        Assert.AreEqual("Rejected", app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-4001").Single().Status);
        Assert.AreEqual("Released", app.Host.Warehouse.Reservations["E2E-4001"].Status);
        Assert.IsEmpty(app.Host.Teams.PostedCards);
    }
}
