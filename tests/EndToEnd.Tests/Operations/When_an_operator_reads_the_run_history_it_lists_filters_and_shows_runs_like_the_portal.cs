using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.History;
using LocalLogicApp.Reporting;
using Workflows.Runtime;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_an_operator_reads_the_run_history_it_lists_filters_and_shows_runs_like_the_portal
{
    private const string OrderId = "E2E-RUNS-1";
    private static readonly string[] Workflows = ["OrderIntake", "SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive"];
    private static LocalApp app = null!;
    private static RunHistoryFolder history = null!;

    [ClassInitialize]
    public static async Task StartTheAppAndProcessOneOrder(TestContext _)
    {
        app = await LocalApp.StartAsync();
        var (status, body) = await app.PostAsync(LocalApp.Variant("OrderCreated.standard", OrderId));
        Assert.AreEqual(202, status, body?.ToString());
        await app.SettledAsync();
        // The same code path as 'run --once' writes the history.
        foreach (var finished in app.Host.History.Query(new RunQuery())) RunHistoryFolder.For(app.Host.StateFolder).Write(finished);
        history = RunHistoryFolder.Open(app.Host.StateFolder);
    }

    [ClassCleanup]
    public static async Task StopTheApp()
    {
        if (app is not null) await app.DisposeAsync();
    }

    [TestMethod]
    public void The_list_holds_every_run_newest_first()
    {
        var found = history.Query(new RunQuery());

        Assert.IsEmpty(found.Unreadable);
        CollectionAssert.AreEquivalent(Workflows, found.Runs.Select(r => r.Workflow).ToArray());
        CollectionAssert.AreEqual(found.Runs.OrderByDescending(r => r.StartTime).Select(r => r.Id).ToArray(), found.Runs.Select(r => r.Id).ToArray());
        Assert.IsTrue(found.Runs.All(r => r.Status == WorkflowStatus.Succeeded), string.Join(", ", found.Runs));
    }

    [TestMethod]
    public void The_order_filter_finds_the_runs_whose_actions_tracked_that_orderId()
    {
        Assert.HasCount(Workflows.Length, history.Query(new RunQuery(), OrderId).Runs);
        Assert.IsEmpty(history.Query(new RunQuery(), "E2E-RUNS-unknown").Runs);
    }

    [TestMethod]
    public void Workflow_status_tracking_id_and_top_narrow_the_list()
    {
        var sap = history.Query(new RunQuery(WorkflowName: "sapfulfillment")).Runs.Single();
        var trackingId = sap.ClientTrackingId!;

        Assert.AreEqual("SapFulfillment", sap.Workflow);
        Assert.IsEmpty(history.Query(new RunQuery(Status: WorkflowStatus.Failed)).Runs);
        Assert.HasCount(Workflows.Length, history.Query(new RunQuery(ClientTrackingId: trackingId)).Runs, "intake and subscribers share the event's correlation id");
        Assert.IsEmpty(history.Query(new RunQuery(ClientTrackingId: "someone-else")).Runs);
        var newest = history.Query(new RunQuery(Top: 2)).Runs;
        CollectionAssert.AreEqual(history.Query(new RunQuery()).Runs.Take(2).Select(r => r.Id).ToArray(), newest.Select(r => r.Id).ToArray());
    }

    [TestMethod]
    public void The_list_prints_start_time_workflow_status_duration_tracking_id_and_run_id()
    {
        var runs = history.Query(new RunQuery()).Runs;
        var output = new StringWriter();

        RunHistoryView.WriteList(output, runs);

        var lines = output.ToString().Split(Environment.NewLine);
        StringAssert.StartsWith(lines[0], "Start time (UTC)  ");
        foreach (var column in new[] { "Workflow", "Status", "Duration", "Client tracking id", "Run id" }) StringAssert.Contains(lines[0], column);
        for (var i = 0; i < runs.Count; i++)
        {
            StringAssert.Contains(lines[i + 2], runs[i].Workflow);
            StringAssert.EndsWith(lines[i + 2], runs[i].Id);
        }
        StringAssert.Contains(output.ToString(), $"{runs.Count} run(s), newest first.");
    }

    [TestMethod]
    public void Show_lists_the_actions_in_execution_order_with_code_retries_and_tracked_properties()
    {
        var sms = history.Query(new RunQuery(WorkflowName: "SmsNotification")).Runs.Single();
        var output = new StringWriter();

        RunHistoryView.WriteRun(output, history.Find(sms.Id));

        var text = output.ToString();
        StringAssert.StartsWith(text, $"Run {sms.Id}");
        StringAssert.Contains(text, "Status:             Succeeded");
        StringAssert.Contains(text, "Client tracking id: " + sms.ClientTrackingId);
        StringAssert.Contains(text, "#   Action");
        StringAssert.Contains(text, $"tracked: orderId={OrderId}, messageId={OrderId}-ordercreated-v1");
        var read = text.IndexOf(" Prepare_the_SMS ", StringComparison.Ordinal);
        var send = text.IndexOf(" Send_SMS ", StringComparison.Ordinal);
        var decide = text.IndexOf(" Decide_settlement ", StringComparison.Ordinal);
        Assert.IsTrue(read > 0 && read < send && send < decide, text);
        var sendSms = sms.Actions.Single(a => a.Name == "Send_SMS");
        Assert.AreEqual("Created", sendSms.Code, "Twilio answered 201");
        Assert.AreEqual(0, sendSms.RetryCount);
        StringAssert.Matches(text, new System.Text.RegularExpressions.Regex(@" Send_SMS +Succeeded +Created +\d\d:\d\d:\d\d\.\d{3} +[\d.]+ m?s +0"));
    }
}
