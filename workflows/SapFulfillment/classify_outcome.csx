#r "Newtonsoft.Json"
#r "Microsoft.Azure.Workflows.Scripting"
using Microsoft.Azure.Workflows.Scripting;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

// Settlement classifier: reads how the Try scope's actions ended (WorkflowContext, add-run-csharp-scripts) and
// names ONE settlement outcome (Succeeded, AlreadyCompleted, Skipped, InvalidMessage, DownstreamRejected,
// TransientFailure, InProgressElsewhere). DecideSettlement then turns it into complete/abandon/defer/deadLetter.
// Rule: classify by the side effect, not by the bookkeeping: once the downstream call took effect the outcome is
// Succeeded even if recording it failed, because a redelivery would repeat the side effect.

public static async Task<Classification> Run(WorkflowContext context, ILogger log)
{
    var gate = await ClassifyGates(context);
    if (gate is not null) return gate;

    foreach (var step in new[] { "Find_SAP_sales_order", "Map_to_SAP_sales_order" })
    {
        var result = await ResultOf(context, step);
        if (!Succeeded(result)) return Outcome("TransientFailure", Describe(result, step));
    }
    var map = Body(await ResultOf(context, "Map_to_SAP_sales_order"));
    if (map?["shouldCall"]?.Type == JTokenType.Boolean && !map["shouldCall"].Value<bool>())
    {
        return map["errors"] is JArray { Count: > 0 }
            ? Outcome("DownstreamRejected", "SAP cannot take this change: " + Errors(map))
            : Outcome("Skipped", $"Nothing to send to SAP ({map["operation"]}, sales document {map["salesDocument"]}).");
    }

    foreach (var step in new[] { "Create_SAP_session", "Call_SAP_BAPI", "Read_SAP_BAPI_response" })
    {
        var result = await ResultOf(context, step);
        if (!Succeeded(result)) return Outcome("TransientFailure", Describe(result, step));
    }
    var response = Body(await ResultOf(context, "Read_SAP_BAPI_response"));
    if (response?["succeeded"]?.Type != JTokenType.Boolean || !response["succeeded"].Value<bool>())
    {
        var transient = response?["isTransient"]?.Type == JTokenType.Boolean && response["isTransient"].Value<bool>();
        return Outcome(transient ? "TransientFailure" : "DownstreamRejected", "SAP did not accept the BAPI call (rolled back): " + SapMessages(response));
    }

    var commit = await ResultOf(context, "Commit_SAP_transaction");
    if (!Succeeded(commit)) return Outcome("TransientFailure", Describe(commit, "Commit_SAP_transaction"));
    if ((string)Body(commit)?["type"] is "E" or "A")
        return Outcome("TransientFailure", $"SAP refused the commit: {Body(commit)?["message"]}");

    var notes = new List<string>();
    var record = await ResultOf(context, "Record_SAP_sales_order");
    if (record is not null && !string.Equals(record.Status?.ToString(), "Skipped", StringComparison.OrdinalIgnoreCase) && !Succeeded(record))
        notes.Add(Describe(record, "Record_SAP_sales_order"));
    if (!await Completed(context)) notes.Add("CompleteIdempotency did not record the result.");
    var summary = $"SAP committed sales document {response["salesDocument"]}.";
    return Outcome("Succeeded", notes.Count == 0 ? summary : summary + " Bookkeeping failed (no retry: SAP already has the change): " + string.Join(" ", notes));
}

static string SapMessages(JToken response)
{
    var messages = response?["messages"] as JArray;
    if (messages is null || messages.Count == 0) return Errors(response);
    return string.Join("; ", messages.Select(m => $"{m?["type"]} {m?["id"]}/{m?["number"]}: {m?["message"]}"));
}

public class Classification
{
    public string Outcome { get; set; }
    public string Detail { get; set; }
}

static Classification Outcome(string outcome, string detail) => new Classification { Outcome = outcome, Detail = detail };

// Parse, validate and claim: the same three gates in every subscriber.
static async Task<Classification> ClassifyGates(WorkflowContext context)
{
    var read = await ResultOf(context, "Read_order_message");
    if (!Succeeded(read)) return Outcome("TransientFailure", Describe(read, "Read_order_message"));
    var message = Body(read);
    if (message?["isValid"]?.Type != JTokenType.Boolean || !message["isValid"].Value<bool>())
        return Outcome("InvalidMessage", "The message breaks the contract: " + Errors(message));

    var begin = await ResultOf(context, "Begin_idempotency");
    if (!Succeeded(begin)) return Outcome("TransientFailure", Describe(begin, "Begin_idempotency"));
    var state = (string)Body(begin)?["state"];
    switch (state)
    {
        case "Started": return null;
        case "AlreadyCompleted": return Outcome("AlreadyCompleted", $"Message {message["messageId"]} was already processed by this subscriber; nothing was done again.");
        case "InProgressElsewhere": return Outcome("InProgressElsewhere", $"Another run holds the claim on message {message["messageId"]}.");
        default: return Outcome("TransientFailure", $"BeginIdempotency returned the unknown state '{state}'.");
    }
}

// CompleteIdempotency can run and still not record (e.g. the claim was taken over): read its result.
static async Task<bool> Completed(WorkflowContext context)
{
    var complete = await ResultOf(context, "Complete_idempotency");
    return Succeeded(complete) && Body(complete)?["completed"]?.Type == JTokenType.Boolean && Body(complete)["completed"].Value<bool>();
}

// An action whose branch was not taken may have no result at all.
static async Task<WorkflowOperationResult> ResultOf(WorkflowContext context, string actionName)
{
    try { return await context.GetActionResults(actionName); }
    catch (Exception) { return null; }
}

static bool Succeeded(WorkflowOperationResult result) =>
    string.Equals(result?.Status?.ToString(), "Succeeded", StringComparison.OrdinalIgnoreCase);

static JToken Body(WorkflowOperationResult result) => (result?.Outputs as JObject)?["body"];

static int? StatusCode(WorkflowOperationResult result)
{
    var code = (result?.Outputs as JObject)?["statusCode"];
    return code is not null && int.TryParse(code.ToString(), out var value) ? value : null;
}

// A 4xx other than 408 (timeout) and 429 (throttled) means the downstream understood and refused: retrying cannot help.
static bool IsRejection(int? statusCode) => statusCode is >= 400 and < 500 && statusCode != 408 && statusCode != 429;

static string Describe(WorkflowOperationResult result, string actionName)
{
    if (result is null) return $"{actionName} did not run.";
    var message = (result.Error as JObject)?["message"] ?? (result.Error as JObject)?["code"];
    var status = StatusCode(result);
    return $"{actionName} ended {result.Status}" + (status is null ? "" : $" with HTTP {status}") + (message is null ? "." : $": {message}");
}

static string Errors(JToken message)
{
    var errors = message?["errors"] as JArray;
    if (errors is null || errors.Count == 0) return "(no detail)";
    return string.Join("; ", errors.Select(e => $"{e?["path"]}: {e?["message"]}"));
}
