using System.Net.Http.Headers;
using System.Text;
using EndToEnd.Tests.Infrastructure;
using LocalLogicApp.History;
using LocalLogicApp.Hosting;
using LocalLogicApp.Reporting;
using Newtonsoft.Json.Linq;
using Workflows.Runtime;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Operations;

[TestClass]
public sealed class When_an_operator_resubmits_a_subscriber_run_no_second_side_effect_happens
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task A_resubmitted_run_of_any_subscriber_finds_the_idempotency_record_and_changes_nothing_downstream(string workflow)
    {
        await using var app = await LocalApp.StartOnManualClockAsync();
        await app.PublishAsync(LocalApp.Order("E2E-RESUB-0"));
        await app.SettledAsync();
        var original = app.RunsOf(workflow, "E2E-RESUB-0-ordercreated-v1").Single();

        var resubmitted = await app.Host.Engine.ResubmitAsync(original.Id);
        await app.SettledAsync();

        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual("AlreadyCompleted", SubscriberRuns.Claim(resubmitted));
        Assert.AreEqual((1, 1, 1, 1), app.EffectsFor("E2E-RESUB-0"));
    }

    [TestMethod]
    public async Task A_resubmitted_SAP_run_finds_the_idempotency_record_creates_no_second_sales_order_and_records_where_it_came_from()
    {
        await using var app = await LocalApp.StartAsync();
        await app.PostAsync(LocalApp.Variant("OrderCreated.standard", "E2E-RESUB-1"));
        await app.SettledAsync();
        foreach (var finished in app.Host.History.Query(new RunQuery())) RunHistoryFolder.For(app.Host.StateFolder).Write(finished);
        var history = RunHistoryFolder.Open(app.Host.StateFolder);
        var original = history.Query(new RunQuery(WorkflowName: "SapFulfillment"), "E2E-RESUB-1").Runs.Single();
        var sapCalls = app.Host.Sap.Calls.Count;

        var resubmitted = await RunResubmission.ResubmitAsync(app.Host, original, Settle, CancellationToken.None);

        var run = resubmitted.Run;
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.ToJson().ToString());
        Assert.AreNotEqual(original.Id, run.Id);
        Assert.AreEqual(original.Id, run.ResubmittedFrom);
        foreach (var field in new[] { "messageId", "lockToken", "deliveryCount", "sessionId" })
        {
            Assert.AreEqual(original.Trigger["outputs"]!["body"]![field]!.ToString(), ((JObject)run.Trigger.Outputs)["body"]![field]!.ToString(), $"the same trigger outputs ({field})");
        }
        Assert.AreEqual("AlreadyCompleted", LocalLogicApp.Reporting.SubscriberRuns.Claim(run));
        Assert.AreEqual(sapCalls, app.Host.Sap.Calls.Count, "no call reaches SAP again");
        Assert.HasCount(1, app.Host.Sap.SalesOrdersForPurchaseOrder("E2E-RESUB-1"));
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Record_settlement_skipped").Status, "the settlement against the old lock is skipped, not a failure");
        Assert.AreEqual("SettlementSkipped: lock expired", run.Action("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));

        var written = history.Find(run.Id);
        Assert.AreEqual(original.Id, written.ResubmittedFrom);
        var output = new StringWriter();
        RunHistoryView.WriteResubmitted(output, resubmitted, app.Host.StateFolder);
        StringAssert.Contains(output.ToString(), $"New run: {run.Id}  Succeeded  (resubmittedFrom {original.Id}");
        StringAssert.Contains(output.ToString(), "already processed (idempotency record found): nothing done again");
        StringAssert.Contains(output.ToString(), "the settlement was skipped (lock expired)");
        var shown = new StringWriter();
        RunHistoryView.WriteRun(shown, written);
        StringAssert.Contains(shown.ToString(), "Resubmitted from:   " + original.Id);
    }

    [TestMethod]
    public async Task A_run_of_an_earlier_process_is_replayed_from_its_record_on_the_same_state_and_sends_no_second_SMS()
    {
        var state = Path.Combine(Path.GetTempPath(), "orders-runs-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new LocalHostOptions { ProjectRoot = LocalApp.Root, StateFolder = state };
        try
        {
            await using (var first = await LocalLogicAppHost.StartAsync(options))
            {
                await PostAsync(first.IntakeUrl, LocalApp.Variant("OrderCreated.standard", "E2E-RESUB-2"));
                await first.WaitUntilIdleAsync(Settle);
                Assert.HasCount(1, first.Twilio.SentMessages);
            }
            // The durable host wrote each run as it finished: nothing else did.
            var original = RunHistoryFolder.Open(state).Query(new RunQuery(WorkflowName: "SmsNotification"), "E2E-RESUB-2").Runs.Single();

            var resubmitted = await RunResubmission.ResubmitOnStateAsync(options, original.Id, Settle, CancellationToken.None);

            var run = resubmitted.Run;
            Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.ToJson().ToString());
            Assert.AreEqual(original.Id, run.ResubmittedFrom);
            Assert.AreEqual("AlreadyCompleted", LocalLogicApp.Reporting.SubscriberRuns.Claim(run));
            Assert.IsFalse(run.TryGetAction("Send_SMS", out var send) && send.Status != WorkflowStatus.Skipped, "no second SMS");
            Assert.AreEqual(original.Id, RunHistoryFolder.Open(state).Find(run.Id).ResubmittedFrom);
            Assert.IsFalse(File.Exists(Path.Combine(state, BrokerOwnership.FileName)), "the resubmit released the state folder");
        }
        finally
        {
            try { Directory.Delete(state, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task PostAsync(Uri intake, string json)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(intake, content);
        Assert.AreEqual(202, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
