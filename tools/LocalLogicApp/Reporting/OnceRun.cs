using LocalLogicApp.History;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using LocalLogicApp.Hosting;
using LocalLogicApp.Samples;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace LocalLogicApp.Reporting;

/// <summary>What the intake answered for one sample.</summary>
public sealed record IntakeResult(SampleOrder Sample, int StatusCode, JToken? Body)
{
    /// <summary>A valid sample refused only because its claim-checked payload is not in local storage.</summary>
    public bool ClaimCheckMissingLocally =>
        Sample.IsValid && StatusCode == 400 && Body?.ToString(Formatting.None).Contains("ClaimCheckPayloadMissing", StringComparison.Ordinal) == true;

    public bool AsExpected => Sample.IsValid ? StatusCode is >= 200 and < 300 || ClaimCheckMissingLocally : StatusCode == 400;
}

/// <summary>
/// <c>run --once</c>: starts the whole app on a fresh state folder, posts every sample (valid ones in business
/// order, then the invalid ones), waits until every message is settled, and reports per order what each
/// subscriber did, the dead letters with their Teams alerts, and anything unexpected.
/// </summary>
public static class OnceRun
{
    public static readonly string[] Subscribers = ["SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive"];

    public static async Task<int> RunAsync(string root, TextWriter report, Action<string> progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stateFolder = Path.Combine(ProjectRoot.LocalStateFolder(root), "once");
        if (Directory.Exists(stateFolder)) Directory.Delete(stateFolder, recursive: true);
        await using var host = await LocalLogicAppHost.StartAsync(new LocalHostOptions { ProjectRoot = root, StateFolder = stateFolder, Log = progress, WriteRunHistory = true }, cancellationToken).ConfigureAwait(false);

        var samples = SampleOrders.Valid(root).Concat(SampleOrders.Invalid(root)).ToArray();
        progress($"posting {samples.Length} samples ({samples.Count(s => s.IsValid)} valid, {samples.Count(s => !s.IsValid)} invalid) to {host.IntakeUrl}");
        var intake = new List<IntakeResult>();
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
        {
            foreach (var sample in samples) intake.Add(await PostAsync(http, host.IntakeUrl, sample, cancellationToken).ConfigureAwait(false));
        }

        progress($"waiting until every message is settled (at most {timeout.TotalSeconds:0} s)");
        string? timedOut = null;
        try
        {
            await host.WaitUntilIdleAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            timedOut = ex.Message;
        }
        progress($"run history: {RunHistoryFile.PathIn(stateFolder)} (read it with 'runs list --state {Path.GetRelativePath(Environment.CurrentDirectory, stateFolder)}')");
        var unexpected = Write(report, host, intake, stateFolder);
        if (timedOut is not null) unexpected.Add(timedOut);
        report.WriteLine();
        if (unexpected.Count == 0)
        {
            report.WriteLine("Result: OK, nothing unexpected.");
            return 0;
        }
        report.WriteLine($"Result: {unexpected.Count} unexpected:");
        foreach (var line in unexpected) report.WriteLine("  - " + line);
        return 1;
    }

    private static async Task<IntakeResult> PostAsync(HttpClient http, Uri url, SampleOrder sample, CancellationToken cancellationToken)
    {
        using var content = new StringContent(sample.Text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JToken? body;
        try { body = text.Length == 0 ? null : JToken.Parse(text); }
        catch (JsonException) { body = text; }
        return new IntakeResult(sample, (int)response.StatusCode, body);
    }

    /// <summary>Writes the report; returns what was unexpected.</summary>
    public static List<string> Write(TextWriter report, LocalLogicAppHost host, IReadOnlyList<IntakeResult> intake, string stateFolder)
    {
        var unexpected = new List<string>();
        var runs = host.History.Query(new RunQuery());
        var byMessage = runs.Where(r => Subscribers.Contains(r.WorkflowName))
            .GroupBy(r => (Message: SubscriberRuns.MessageIdOf(r) ?? "?", r.WorkflowName))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<WorkflowRun>)g.ToList());

        var valid = intake.Where(i => i.Sample.IsValid).ToArray();
        var invalid = intake.Where(i => !i.Sample.IsValid).ToArray();
        report.WriteLine($"Intake: {valid.Length} valid samples: {valid.Count(i => i.StatusCode is >= 200 and < 300)} accepted, {valid.Count(i => i.StatusCode >= 300)} refused; " +
                         $"{invalid.Length} invalid samples: {invalid.Count(i => i.StatusCode == 400)} refused with 400.");
        foreach (var result in intake.Where(i => !i.AsExpected))
        {
            unexpected.Add($"intake answered {result.StatusCode} to the {(result.Sample.IsValid ? "valid" : "invalid")} sample '{result.Sample.Name}': {OneLine(result.Body)}");
        }

        foreach (var order in valid.GroupBy(i => i.Sample.OrderId ?? "(claim-checked, order id in the payload)"))
        {
            report.WriteLine();
            report.WriteLine($"Order {order.Key}");
            foreach (var result in order)
            {
                var messageId = result.Sample.MessageId ?? "?";
                report.WriteLine($"  {result.Sample.EventType,-15} {messageId}  intake {result.StatusCode}" +
                                 (result.ClaimCheckMissingLocally ? " (its claim-checked payload is not in local storage: refused, as it would be in Azure)" :
                                  result.StatusCode >= 300 ? $": {OneLine(result.Body)}" : ""));
                if (result.StatusCode >= 300) continue;
                foreach (var subscriber in Subscribers)
                {
                    if (!byMessage.TryGetValue((messageId, subscriber), out var subscriberRuns))
                    {
                        report.WriteLine($"    {subscriber,-19} (no run: not routed to this subscription)");
                        continue;
                    }
                    var outcome = SubscriberRuns.Describe(subscriber, subscriberRuns);
                    var attempts = outcome.Runs > 1 ? $" after {outcome.Runs} deliveries" : "";
                    report.WriteLine($"    {subscriber,-19} {outcome.Settlement ?? "no settlement",-10} {outcome.Effect}{attempts}");
                }
            }
        }

        WriteDeadLetters(report, runs, unexpected);
        WriteTotals(report, host, unexpected);

        foreach (var run in runs.Where(r => Subscribers.Contains(r.WorkflowName) && !SubscriberRuns.Settled(r)))
        {
            unexpected.Add($"run {run.Id} of {run.WorkflowName} left its message unsettled ({run.Status}): {run.Error?.Value<string>("message")}");
        }
        foreach (var run in runs.Where(r => !Subscribers.Contains(r.WorkflowName) && r.Status == Workflows.Runtime.WorkflowStatus.Failed))
        {
            unexpected.Add($"run {run.Id} of {run.WorkflowName} failed: {run.Error?.Value<string>("message")}");
        }
        report.WriteLine();
        report.WriteLine($"State of this run: {stateFolder} (dead letters: dotnet run --project tools/Cli -- deadletters list --state {Path.GetRelativePath(Environment.CurrentDirectory, stateFolder)})");
        return unexpected;
    }

    private static void WriteDeadLetters(TextWriter report, IReadOnlyList<WorkflowRun> runs, List<string> unexpected)
    {
        var alerts = runs.Where(r => r.WorkflowName.EndsWith("DeadLetters", StringComparison.Ordinal)).OrderBy(r => r.StartTime).ToArray();
        report.WriteLine();
        report.WriteLine(alerts.Length == 0 ? "Dead letters: none." : $"Dead letters: {alerts.Length} alert run(s).");
        foreach (var run in alerts)
        {
            var body = (run.Trigger.Outputs as JObject)?["body"] as JObject;
            var properties = body?["userProperties"] as JObject;
            var posted = run.TryGetAction("Post_alert_to_Teams", out var post) ? post.Status.ToString() : "not run";
            var archived = SubscriberRuns.Body(run, "Archive_dead_letter") is JObject archive ? $"{archive.Value<string>("container")}/{archive.Value<string>("path")}" : "not archived";
            report.WriteLine($"  {run.WorkflowName.Replace("DeadLetters", "", StringComparison.Ordinal),-19} {body?.Value<string>("messageId")}  " +
                             $"reason {properties?.Value<string>("DeadLetterReason")}: {Truncate(properties?.Value<string>("DeadLetterErrorDescription"), 140)}");
            report.WriteLine($"    Teams alert {posted}; archived to {archived}; run {run.Status}");
            if (properties?.Value<string>("DeadLetterReason") is "TransientFailureExhausted" or "MaxDeliveryCountExceeded")
            {
                unexpected.Add($"{body?.Value<string>("messageId")} was dead-lettered by {run.WorkflowName.Replace("DeadLetters", "", StringComparison.Ordinal)} after repeated transient failures, although no fault was injected.");
            }
            if (posted != "Succeeded") unexpected.Add($"the dead letter {body?.Value<string>("messageId")} of {run.WorkflowName} raised no Teams alert ({posted}).");
        }
    }

    private static void WriteTotals(TextWriter report, LocalLogicAppHost host, List<string> unexpected)
    {
        var sapOrders = host.Sap.SalesOrders.Values.ToArray();
        var reservations = host.Warehouse.ReservationHistory;
        report.WriteLine();
        report.WriteLine("Downstream, as the stand-ins saw it:");
        report.WriteLine($"  SAP: {sapOrders.Length} sales order(s) committed ({string.Join(", ", sapOrders.Select(o => $"{o.SalesDocument} for {o.PurchaseOrderNumber} {o.Status}"))}); {host.Sap.CallCount} RFC calls");
        report.WriteLine($"  Twilio: {host.Twilio.SentCount} SMS sent");
        report.WriteLine($"  Warehouse: {host.Warehouse.ReservationChangeCount} reservation change(s) ({string.Join(", ", host.Warehouse.Reservations.Values.Select(r => $"{r.OrderId} {r.Status}"))})");
        report.WriteLine($"  Teams: {host.Teams.PostedCount} card(s) posted");
        foreach (var duplicate in sapOrders.GroupBy(o => o.PurchaseOrderNumber).Where(g => g.Count() > 1))
        {
            unexpected.Add($"SAP holds {duplicate.Count()} sales orders for order {duplicate.Key}: {string.Join(", ", duplicate.Select(o => o.SalesDocument))}.");
        }
        foreach (var duplicate in reservations.Where(r => r.Change == "create").GroupBy(r => r.OrderId).Where(g => g.Count() > 1))
        {
            unexpected.Add($"the warehouse reserved stock {duplicate.Count()} times for order {duplicate.Key}.");
        }
        foreach (var duplicate in host.Twilio.SentMessages.GroupBy(m => (m.To, m.Body)).Where(g => g.Count() > 1))
        {
            unexpected.Add($"the same SMS was sent {duplicate.Count()} times to {duplicate.Key.To}.");
        }
    }

    private static string OneLine(JToken? body) => Truncate(body?.ToString(Formatting.None), 300);

    private static string Truncate(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..max] + "…";
}
