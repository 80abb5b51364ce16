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

    var map = await ResultOf(context, "Map_to_SMS");
    if (!Succeeded(map)) return Outcome("TransientFailure", Describe(map, "Map_to_SMS"));
    if (Body(map)?["shouldSend"]?.Type == JTokenType.Boolean && !Body(map)["shouldSend"].Value<bool>())
        return Outcome("Skipped", $"No SMS: {Body(map)?["skipReason"]}");

    var send = await ResultOf(context, "Send_SMS");
    if (!Succeeded(send))
        return Outcome(IsRejection(StatusCode(send)) ? "DownstreamRejected" : "TransientFailure", Describe(send, "Send_SMS"));
    return Outcome("Succeeded", await Completed(context)
        ? $"SMS sent ({Body(send)?["sid"]})."
        : $"SMS sent ({Body(send)?["sid"]}); CompleteIdempotency did not record it.");
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
