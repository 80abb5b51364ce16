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

    /// <summary>The first step of each subscriber: reads the message, claims it and prepares the downstream call.</summary>
    public static readonly IReadOnlyDictionary<string, string> FirstSteps = new Dictionary<string, string>
    {
        ["SapFulfillment"] = "Prepare_the_SAP_sales_order",
        ["SmsNotification"] = "Prepare_the_SMS",
        ["WarehouseInventory"] = "Prepare_the_warehouse_request",
        ["LakeArchive"] = "Archive_the_order_event",
    };

    /// <summary>The first step's result (<c>delivery</c>, <c>proceed</c> and the prepared call), or null.</summary>
    public static JObject? Prepared(WorkflowRun run) =>
        FirstSteps.TryGetValue(run.WorkflowName, out var step) ? Body(run, step) : null;

    /// <summary>The state of the run's idempotency claim (<c>Started</c>, <c>AlreadyCompleted</c>, <c>InProgressElsewhere</c>),
    /// or, for the lake archive, <c>AlreadyCompleted</c> when its file already held the event.</summary>
    public static string? Claim(WorkflowRun run)
    {
        var prepared = Prepared(run);
        if (prepared?["delivery"]?.Value<string>("claim") is { } claim) return claim;
        return prepared?["lake"] is JObject lake && lake.Value<bool?>("isValid") == true
            ? lake.Value<bool?>("created") == true ? "Started" : "AlreadyCompleted"
            : null;
    }

    /// <summary>The claim's lease end, when the run took it.</summary>
    public static string? LeaseExpiresUtc(WorkflowRun run) => Prepared(run)?["delivery"]?.Value<string>("leaseExpiresUtc");

    private static string Effect(WorkflowRun run)
    {
        var prepared = Prepared(run);
        if (prepared?["delivery"] is JObject delivery && delivery.Value<bool?>("isValid") == false)
        {
            return "unreadable message: " + Errors(delivery);
        }
        if (Claim(run) is "AlreadyCompleted")
        {
            return "already processed (idempotency record found): nothing done again";
        }
        return run.WorkflowName switch
        {
            "SapFulfillment" => Sap(run, prepared?["sap"] as JObject),
            "SmsNotification" => Sms(run, prepared?["sms"] as JObject),
            "WarehouseInventory" => Warehouse(run, prepared?["warehouse"] as JObject),
            "LakeArchive" => Lake(run, prepared?["lake"] as JObject),
            _ => run.Status.ToString(),
        };
    }

    private static string Sap(WorkflowRun run, JObject? map)
    {
        if (map?.Value<string>("operation") == "AlreadyCreated") return $"SAP sales order {map.Value<string>("salesDocument")} already exists: not created again";
        if (map is JObject m && m.Value<bool?>("shouldCall") == false) return "not sent to SAP: " + Errors(m);
        if (Failed(run, "Call_SAP_BAPI") is { } callError) return "SAP call failed: " + callError;
        var read = Body(run, "Record_the_SAP_result");
        if (read is JObject r && r.Value<bool?>("succeeded") == false)
        {
            return (r.Value<bool?>("notCommitted") == true ? "SAP did not commit: " : "SAP refused: ")
                + string.Join("; ", (r["messages"] as JArray ?? []).Select(x => $"{x.Value<string>("type")} {x.Value<string>("id")}/{x.Value<string>("number")} {x.Value<string>("message")}"));
        }
        return map?.Value<string>("operation") switch
        {
            "CreateSalesOrder" => $"SAP sales order {read?.Value<string>("salesDocument")} created",
            "ChangeQuantities" => $"SAP sales order {map.Value<string>("salesDocument")} quantities changed",
            "RejectItems" => $"SAP sales order {map.Value<string>("salesDocument")} items rejected (cancelled)",
            "FindSalesOrder" => read?.Value<bool?>("found") == true
                ? $"SAP sales order {read.Value<string>("salesDocument")} found by purchase order number: created earlier, not created again"
                : read?.Value<bool?>("found") == false ? "no SAP sales order found by purchase order number: the next delivery creates it"
                : "several SAP sales orders carry the purchase order number: an operator must choose",
            var other => other ?? "no SAP call",
        };
    }

    private static string Sms(WorkflowRun run, JObject? map)
    {
        if (map is JObject m && m.Value<bool?>("shouldSend") == false) return "no SMS: " + (m.Value<string>("skipReason") ?? Errors(m));
        // A delivery that took over an earlier attempt asked Twilio first (workflows.md, "SMS: a takeover checks Twilio first").
        if (Body(run, "Find_the_SMS_already_sent") is JObject found && found.Value<bool?>("found") == true)
        {
            return $"SMS {found.Value<string>("twilioMessageSid")} already sent by an earlier attempt: not sent again";
        }
        if (Failed(run, "Send_SMS") is { } error) return "SMS failed: " + error;
        var sent = Body(run, "Send_SMS");
        return sent is null ? "no SMS" : $"SMS {sent.Value<string>("sid")} to {map?.Value<string>("to")}: \"{map?.Value<string>("body")}\"";
    }

    private static string Warehouse(WorkflowRun run, JObject? map)
    {
        if (map is JObject m && m.Value<bool?>("shouldCall") == false) return "warehouse not called: " + (m.Value<string>("skipReason") ?? Errors(m));
        if (!run.TryGetAction("Call_the_warehouse_API", out var call)) return "warehouse not called";
        var outputs = call.Outputs as JObject;
        return WarehouseAnswer(map?.Value<string>("operationId"), outputs?.Value<int?>("statusCode"), outputs?["body"] as JObject, call.Error?.Value<string>("message"));
    }

    /// <summary>The warehouse API's answer in words: a success carries the reservation (its state and lines), a refusal
    /// problem details (RFC 7807, as the API's OpenAPI contract says), whose <c>status</c> is the HTTP status, not a reservation's state.</summary>
    public static string WarehouseAnswer(string? operationId, int? statusCode, JObject? body, string? error) =>
        statusCode is >= 200 and < 300 && body?.Value<string>("status") is { } state
            ? $"{operationId} → {statusCode}: reservation {state} ({string.Join(", ", (body["lines"] as JArray ?? []).Select(l => $"{l.Value<string>("sku")} x{l["quantity"]}"))})"
            : $"{operationId} → {statusCode}: {(body?.Value<string>("title") is { } title ? title + ": " : "")}{body?.Value<string>("detail") ?? error}";

    private static string Lake(WorkflowRun run, JObject? write)
    {
        if (write is null) return Failed(run, "Archive_the_order_event") is { } error ? "lake write failed: " + error : "not written";
        var path = $"{write.Value<string>("container")}/{write.Value<string>("path")}";
        return write.Value<bool?>("created") == true ? $"written to {path}" : write.Value<bool?>("conflict") == true ? $"CONFLICT at {path} (different content kept)" : $"already at {path}";
    }

    /// <summary>True when the run settled its message (complete, abandon, defer or dead-letter succeeded).</summary>
    public static bool Settled(WorkflowRun run) =>
        new[] { "Complete_the_message", "Abandon_the_message", "Defer_the_message", "Dead_letter_the_message",
                "Abandon_the_message_with_an_unknown_decision", "Abandon_when_no_settlement_was_decided" }
            .Any(name => run.TryGetAction(name, out var action) && action.Status == Workflows.Runtime.WorkflowStatus.Succeeded);

    public static JObject? Body(WorkflowRun run, string action) =>
        run.TryGetAction(action, out var a) && a.Outputs is JObject outputs ? outputs["body"] as JObject : null;

    private static string? Failed(WorkflowRun run, string action) =>
        run.TryGetAction(action, out var a) && a.Status == Workflows.Runtime.WorkflowStatus.Failed
            ? a.Error?.Value<string>("message") ?? a.Code
            : null;

    private static string Errors(JObject result) =>
        string.Join("; ", (result["errors"] as JArray ?? []).Take(3).Select(e => $"{e.Value<string>("code")} at {e.Value<string>("path")}"));
}
