using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;

namespace LocalLogicApp.Reporting;

/// <summary>What one subscriber workflow did with one message, read from its runs' history.</summary>
/// <param name="Settlement">The last run's settlement decision (<c>complete</c>, <c>abandon</c>, <c>deadLetter</c>, ...).</param>
/// <param name="Effect">What the run changed downstream, in words (SAP document, SMS, reservation, lake path).</param>
public sealed record SubscriberOutcome(string Workflow, int Runs, string? Settlement, string Effect, IReadOnlyList<WorkflowRun> RunHistory);

/// <summary>
/// Reads a subscriber run the way an operator reads it in the portal: the settlement decided at the end and the
/// one action whose outputs say what happened downstream. Knows the action names of this project's workflows;
/// an unknown workflow still reports its settlement and status.
/// </summary>
public static class SubscriberRuns
{
    public static string? MessageIdOf(WorkflowRun run) =>
        (run.Trigger.Outputs as JObject)?["body"] is JObject body ? body.Value<string>("messageId") : null;

    public static SubscriberOutcome Describe(string workflow, IReadOnlyList<WorkflowRun> runs)
    {
        var last = runs.OrderBy(r => r.StartTime).Last();
        var settlement = Body(last, "Decide_settlement")?.Value<string>("action");
        return new SubscriberOutcome(workflow, runs.Count, settlement, Effect(last), runs);
    }

    private static string Effect(WorkflowRun run)
    {
        if (Body(run, "Read_order_message") is JObject read && read.Value<bool?>("isValid") == false)
        {
            return "unreadable message: " + Errors(read);
        }
        if (Body(run, "Begin_idempotency")?.Value<string>("state") is "AlreadyCompleted")
        {
            return "already processed (idempotency record found): nothing done again";
        }
        return run.WorkflowName switch
        {
            "SapFulfillment" => Sap(run),
            "SmsNotification" => Sms(run),
            "WarehouseInventory" => Warehouse(run),
            "LakeArchive" => Lake(run),
            _ => run.Status.ToString(),
        };
    }

    private static string Sap(WorkflowRun run)
    {
        var map = Body(run, "Map_to_SAP_sales_order");
        if (map?.Value<string>("operation") == "AlreadyCreated") return $"SAP sales order {map.Value<string>("salesDocument")} already exists: not created again";
        if (map is JObject m && m.Value<bool?>("shouldCall") == false) return "not sent to SAP: " + Errors(m);
        if (Failed(run, "Call_SAP_BAPI") is { } callError) return "SAP call failed: " + callError;
        var read = Body(run, "Read_SAP_BAPI_response");
        if (read is JObject r && r.Value<bool?>("succeeded") == false)
        {
            return "SAP refused: " + string.Join("; ", (r["messages"] as JArray ?? []).Select(x => $"{x.Value<string>("type")} {x.Value<string>("id")}/{x.Value<string>("number")} {x.Value<string>("message")}"));
        }
        if (Failed(run, "Commit_SAP_transaction") is { } commitError) return "SAP commit failed: " + commitError;
        return map?.Value<string>("operation") switch
        {
            "CreateSalesOrder" => $"SAP sales order {read?.Value<string>("salesDocument")} created",
            "ChangeQuantities" => $"SAP sales order {map.Value<string>("salesDocument")} quantities changed",
            "RejectItems" => $"SAP sales order {map.Value<string>("salesDocument")} items rejected (cancelled)",
            var other => other ?? "no SAP call",
        };
    }

    private static string Sms(WorkflowRun run)
    {
        var map = Body(run, "Map_to_SMS");
        if (map is JObject m && m.Value<bool?>("shouldSend") == false) return "no SMS: " + (m.Value<string>("skipReason") ?? Errors(m));
        if (Failed(run, "Send_SMS") is { } error) return "SMS failed: " + error;
        var sent = Body(run, "Send_SMS");
        return sent is null ? "no SMS" : $"SMS {sent.Value<string>("sid")} to {map?.Value<string>("to")}: \"{map?.Value<string>("body")}\"";
    }

    private static string Warehouse(WorkflowRun run)
    {
        var map = Body(run, "Map_to_warehouse_request");
        if (map is JObject m && m.Value<bool?>("shouldCall") == false) return "warehouse not called: " + (m.Value<string>("skipReason") ?? Errors(m));
        if (!run.TryGetAction("Call_the_warehouse_API", out var call)) return "warehouse not called";
        var outputs = call.Outputs as JObject;
        var status = outputs?.Value<int?>("statusCode");
        var body = outputs?["body"] as JObject;
        return body?.Value<string>("status") is { } state
            ? $"{map?.Value<string>("operationId")} → {status}: reservation {state} ({string.Join(", ", (body["lines"] as JArray ?? []).Select(l => $"{l.Value<string>("sku")} x{l["quantity"]}"))})"
            : $"{map?.Value<string>("operationId")} → {status}: {body?.Value<string>("detail") ?? call.Error?.Value<string>("message")}";
    }

    private static string Lake(WorkflowRun run)
    {
        var write = Body(run, "Write_order_to_lake");
        if (write is null) return Failed(run, "Write_order_to_lake") is { } error ? "lake write failed: " + error : "not written";
        var path = $"{write.Value<string>("container")}/{write.Value<string>("path")}";
        return write.Value<bool?>("created") == true ? $"written to {path}" : write.Value<bool?>("conflict") == true ? $"CONFLICT at {path} (different content kept)" : $"already at {path}";
    }

    /// <summary>True when the run settled its message (complete, abandon, defer or dead-letter succeeded).</summary>
    public static bool Settled(WorkflowRun run) =>
        new[] { "Complete_the_message", "Abandon_the_message", "Defer_the_message", "Dead_letter_the_message",
                "Abandon_the_message_with_an_unknown_decision", "Abandon_when_no_settlement_was_decided" }
            .Any(name => run.TryGetAction(name, out var action) && action.Status == Workflows.Runtime.WorkflowStatus.Succeeded);

    internal static JObject? Body(WorkflowRun run, string action) =>
        run.TryGetAction(action, out var a) && a.Outputs is JObject outputs ? outputs["body"] as JObject : null;

    private static string? Failed(WorkflowRun run, string action) =>
        run.TryGetAction(action, out var a) && a.Status == Workflows.Runtime.WorkflowStatus.Failed
            ? a.Error?.Value<string>("message") ?? a.Code
            : null;

    private static string Errors(JObject result) =>
        string.Join("; ", (result["errors"] as JArray ?? []).Take(3).Select(e => $"{e.Value<string>("code")} at {e.Value<string>("path")}"));
}
