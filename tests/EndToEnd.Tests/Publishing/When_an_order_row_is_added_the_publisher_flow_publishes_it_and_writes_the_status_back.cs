using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.Authentication;
using Workflows.Runtime;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Publishing;

[TestClass]
public sealed class When_an_order_row_is_added_the_publisher_flow_publishes_it_and_writes_the_status_back
{
    private static readonly string[] Subscribers = ["SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive"];

    [TestMethod]
    public async Task The_order_reaches_all_four_subscribers_as_the_publisher_and_the_row_is_marked_published()
    {
        await using var app = await LocalApp.StartAsync(settings: ProtectedIntake.Settings);
        await using var publisher = await LocalPublisher.StartAsync(app);

        var orderId = publisher.AddOrder("PA-1001");
        var flowRun = (await publisher.FinishedRunsAsync(LocalPublisher.IntakeFlow)).Single();
        await app.SettledAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, flowRun.Status, flowRun.Describe());
        var row = publisher.Order(orderId);
        Assert.AreEqual("Published", (string?)row["oi_integrationstatus"]);
        Assert.AreEqual("order-PA-1001-created-v1", (string?)row["oi_publishedmessageid"]);
        Assert.AreEqual(flowRun.Id, (string?)row["oi_correlationid"]);
        foreach (var subscriber in Subscribers)
        {
            var run = app.RunsOf(subscriber, "order-PA-1001-created-v1").Single();
            Assert.IsTrue(LocalLogicApp.Reporting.SubscriberRuns.Settled(run), subscriber + " did not settle");
            Assert.AreEqual(flowRun.Id, run.ClientTrackingId, subscriber + " lost the correlation id (the flow run id)");
        }
        Assert.AreEqual("Open", app.Host.Sap.SalesOrdersForPurchaseOrder("PA-1001").Single().Status);
        var intake = app.Host.History.Query(new RunQuery(WorkflowName: "OrderIntake")).Single();
        Assert.AreEqual(ProtectedIntake.PublisherObjectId, ProtectedIntake.TriggerHeader(intake, PrincipalHeaders.PrincipalId));
        Assert.DoesNotContain(LocalPublisher.ClientSecret, flowRun.ToJson().ToString(), "the client secret is in the flow's run history");
    }

    [TestMethod]
    public async Task An_order_the_intake_refuses_is_marked_failed_with_the_intakes_reason_and_nothing_is_published()
    {
        await using var app = await LocalApp.StartAsync(settings: ProtectedIntake.Settings);
        await using var publisher = await LocalPublisher.StartAsync(app);

        var orderId = publisher.AddOrder("PA-1002", lines: 0);
        var flowRun = (await publisher.FinishedRunsAsync(LocalPublisher.IntakeFlow)).Single();
        await app.SettledAsync();

        Assert.AreEqual(WorkflowStatus.Failed, flowRun.Status, "an unpublished order must show as a failed run");
        var row = publisher.Order(orderId);
        Assert.AreEqual("Failed", (string?)row["oi_integrationstatus"]);
        StringAssert.Contains((string?)row["oi_integrationerror"], "Post_to_the_intake");
        StringAssert.Contains((string?)row["oi_integrationerror"], "lines");
        Assert.IsEmpty(flowRun.Action("Post_to_the_intake").RetryHistory, "a contract violation (400) must not be retried");
        foreach (var subscriber in Subscribers) Assert.IsEmpty(app.RunsOf(subscriber, "order-PA-1002-created-v1"));
    }

    [TestMethod]
    public async Task A_flow_signed_in_as_another_application_is_refused_by_the_intake_and_the_row_says_why()
    {
        await using var app = await LocalApp.StartAsync(settings: ProtectedIntake.Settings);
        await using var publisher = await LocalPublisher.StartAsync(app, clientId: ProtectedIntake.StrangerClientId);

        var orderId = publisher.AddOrder("PA-1003");
        await publisher.FinishedRunsAsync(LocalPublisher.IntakeFlow);
        await app.SettledAsync();

        var row = publisher.Order(orderId);
        Assert.AreEqual("Failed", (string?)row["oi_integrationstatus"]);
        StringAssert.Contains((string?)row["oi_integrationerror"], ProtectedIntake.StrangerClientId);
        Assert.IsEmpty(app.Host.History.Query(new RunQuery(WorkflowName: "OrderIntake")));
    }
}
