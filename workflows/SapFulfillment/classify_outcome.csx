#r "Newtonsoft.Json"
#r "Microsoft.Azure.Workflows.Scripting"
using Microsoft.Azure.Workflows.Scripting;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

// GENERATED from deploy/workflow-templates/ClassifyOutcome.template.csx and
// deploy/workflow-templates/classify-outcome/SapFulfillment.csx: edit those, then run the designer verb.
//
// Settlement classifier of SapFulfillment: reads how the work ended (WorkflowContext, Learn "Add and run C# scripts
// inline with Standard workflows", https://learn.microsoft.com/en-us/azure/logic-apps/add-run-csharp-scripts) and names
// ONE outcome: Succeeded, AlreadyCompleted, Skipped, Superseded, InvalidMessage, DownstreamRejected, TransientFailure or
// InProgressElsewhere. DecideSettlement turns it into complete/abandon/defer/deadLetter and closes the idempotency
// claim by it. Rule: classify by the side effect, not by the bookkeeping: once the downstream call took effect the
// outcome is Succeeded, because a redelivery would repeat the side effect.
//
// The result is a JObject with its property names written out ("outcome", "detail"): how the Logic Apps runtime
// would case the properties of a returned C# object is not documented, and the workflow reads
// body('Classify_outcome')?['outcome'].

public static async Task<JObject> Run(WorkflowContext context, ILogger log)
{
    // The first step read the message, validated it and claimed it: the same gates in every subscriber.
    var prepared = await ResultOf(context, "Prepare_the_SAP_sales_order");
    if (!Succeeded(prepared)) return Outcome("TransientFailure", Describe(prepared, "Prepare_the_SAP_sales_order"));
    var body = Body(prepared);
    var delivery = body?["delivery"];
    if (!IsTrue(delivery?["isValid"])) return Outcome("InvalidMessage", "The message breaks the contract: " + Errors(delivery));
    var claim = (string)delivery?["claim"];
    switch (claim)
    {
        case null: // no claim of its own (the lake archive: its create-if-absent file is the claim)
        case "Started":
            return await ClassifyWork(context, body);
        case "AlreadyCompleted":
            return Outcome("AlreadyCompleted", $"Message {delivery?["messageId"]} was already processed by this subscriber; nothing was done again.");
        case "InProgressElsewhere":
            return Outcome("InProgressElsewhere", $"Another run holds the claim on message {delivery?["messageId"]}.");
        default:
            return Outcome("TransientFailure", $"The idempotency claim could not be taken ({claim}): {Errors(delivery)}");
    }
}

// ---- SapFulfillment: what its own work means -------------------------------------------------------------------
// SAP commits with the call itself (bapiCallMethod autoCommit): the RETURN table and the auto-commit response decide.
// A create that may have reached SAP without the run learning it (the call failed, its answer could not be read, SAP
// refused it as a duplicate customer reference, its commit failed) is reported with "outcomeUnknown": DecideSettlement
// then ends the order's claim without giving it back, and the next delivery looks the order up (FindSalesOrder, GetList)
// instead of creating it again (docs/custom-code.md, "SAP: a create whose outcome is unknown").
static async Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    var sap = prepared?["sap"];
    if (!IsTrue(prepared?["proceed"]))
    {
        if (sap?["errors"] is JArray { Count: > 0 }) return Outcome("DownstreamRejected", "SAP cannot take this change: " + Errors(sap));
        // An update that occurred before the order's cancellation, which SAP applied first (published out of business order).
        if (sap?["supersededBy"] is JValue { Type: JTokenType.String } cancellation)
            return Outcome("Superseded", $"Not sent to SAP: the order's cancellation (message {cancellation}), which occurred after this update, was applied first; sales document {sap?["salesDocument"]} stays cancelled.");
        return Outcome("Skipped", $"Nothing to send to SAP ({sap?["operation"]}, sales document {sap?["salesDocument"]}).");
    }
    var operation = (string)sap?["operation"];
    // Only a create or a look-up can leave the order's existence unknown; a change is keyed by its document.
    var mayHaveCreated = operation is "CreateSalesOrder" or "FindSalesOrder";
    var call = await ResultOf(context, "Call_SAP_BAPI");
    if (!Succeeded(call)) return Unknown(mayHaveCreated, Outcome("TransientFailure", Describe(call, "Call_SAP_BAPI")));
    var record = await ResultOf(context, "Record_the_SAP_result");
    if (!Succeeded(record)) return Unknown(mayHaveCreated, Outcome("TransientFailure", Describe(record, "Record_the_SAP_result") + " (SAP's answer could not be read)"));
    var result = Body(record);
    if (operation == "FindSalesOrder") return ClassifyLookup(result, prepared);
    if (IsTrue(result?["duplicateReference"]))
        return Unknown(true, Outcome("TransientFailure", "SAP refused the create because the purchase order number is already in a sales order of this customer: the order may exist already, so the next delivery looks it up instead of creating it. " + SapMessages(result)));
    if (IsTrue(result?["notCommitted"]) && !IsTrue(result?["isTransient"]))
        return Outcome("DownstreamRejected", "SAP answered without errors but with warnings, so the auto-commit did not commit: " + SapMessages(result));
    if (!IsTrue(result?["succeeded"]))
        return Unknown(IsTrue(result?["outcomeUnknown"]),
            Outcome(IsTrue(result?["isTransient"]) ? "TransientFailure" : "DownstreamRejected", "SAP did not accept the BAPI call: " + SapMessages(result)));
    return Outcome("Succeeded", $"SAP committed {result?["operation"]} on sales document {result?["salesDocument"] ?? sap?["salesDocument"]}.");
}

// The look-up of a create whose outcome was unknown: found → the order exists, complete (no second create); none → the
// earlier create did not happen, so the claim is given back and the redelivery creates it; several or a failed look-up →
// still unknown.
static JObject ClassifyLookup(JToken result, JToken prepared)
{
    var orderId = prepared?["delivery"]?["orderId"];
    if (!IsTrue(result?["succeeded"]))
        return Unknown(true, Outcome("TransientFailure", $"SAP could not list the sales orders of order {orderId}: " + SapMessages(result)));
    var found = result?["found"];
    if (found?.Type == JTokenType.Boolean && (bool)found)
        return Outcome("Succeeded", $"SAP already holds sales order {result?["salesDocument"]} for order {orderId} (an earlier delivery created it and its answer was lost): recorded, not created again.");
    if (found?.Type == JTokenType.Boolean)
        return Outcome("TransientFailure", $"SAP holds no sales order for order {orderId}: the earlier attempt created nothing, so its claim is given back and the next delivery (or a resubmission) creates it.");
    return Unknown(true, Outcome("DownstreamRejected", $"SAP lists several sales orders for order {orderId} ({string.Join(", ", (result?["listedSalesDocuments"] as JArray ?? new JArray()).Select(d => (string)d))}): an operator must choose one and record it (RecordSapSalesOrder)."));
}

static JObject Unknown(bool unknown, JObject outcome)
{
    if (unknown) outcome["outcomeUnknown"] = true;
    return outcome;
}

static string SapMessages(JToken result)
{
    var messages = result?["messages"] as JArray;
    if (messages is null || messages.Count == 0) return Errors(result);
    return string.Join("; ", messages.Select(m => $"{m?["type"]} {m?["id"]}/{m?["number"]}: {m?["message"]}"));
}

// ---- shared helpers -----------------------------------------------------------------------------------------------

static JObject Outcome(string outcome, string detail) => new JObject { ["outcome"] = outcome, ["detail"] = detail };

// An action whose branch was not taken may have no result at all.
static async Task<WorkflowOperationResult> ResultOf(WorkflowContext context, string actionName)
{
    try { return await context.GetActionResults(actionName); }
    catch (Exception) { return null; }
}

static bool Succeeded(WorkflowOperationResult result) =>
    string.Equals(result?.Status?.ToString(), "Succeeded", StringComparison.OrdinalIgnoreCase);

static JToken Body(WorkflowOperationResult result) => (result?.Outputs as JObject)?["body"];

static bool IsTrue(JToken token) => token?.Type == JTokenType.Boolean && token.Value<bool>();

static int? StatusCode(WorkflowOperationResult result)
{
    var code = (result?.Outputs as JObject)?["statusCode"];
    return code is not null && int.TryParse(code.ToString(), out var value) ? value : null;
}

// A 4xx other than 408 (timeout) and 429 (throttled) means the downstream understood and refused: retrying cannot help.
static bool IsRejection(int? statusCode) => statusCode is >= 400 and < 500 && statusCode != 408 && statusCode != 429;

// "<action> ended Failed with HTTP 422: <the downstream's own error>", else the action's error. The settlement
// (DecideSettlement) makes the text one bounded line free of secrets and personal data before it is dead-lettered.
static string Describe(WorkflowOperationResult result, string actionName)
{
    if (result is null) return $"{actionName} did not run.";
    var message = DownstreamError(result) ?? Text((result.Error as JObject)?["message"] ?? (result.Error as JObject)?["code"], 512);
    var status = StatusCode(result);
    return $"{actionName} ended {result.Status}" + (status is null ? "" : $" with HTTP {status}") + (message is null ? "." : $": {message}");
}

// What the downstream itself said in its error body, quoted: Twilio's {code, message}, RFC 7807 problem details
// {code, title, detail} (the warehouse API, Artifacts/OpenApi/warehouse-inventory.openapi.json), or {error: {code,
// message}}. Null when the body holds none of them.
static string DownstreamError(WorkflowOperationResult result)
{
    var body = (result?.Outputs as JObject)?["body"];
    if (body is JValue { Type: JTokenType.String } raw && raw.ToString().TrimStart().StartsWith("{"))
    {
        try { body = JToken.Parse(raw.ToString()); } catch (Newtonsoft.Json.JsonException) { return null; }
    }
    if (body is not JObject error) return null;
    var nested = error["error"] as JObject;
    var code = Text(error["code"] ?? nested?["code"] ?? error["errorCode"], 64);
    var title = Text(error["title"], 128);
    var message = Text(error["detail"] ?? error["message"] ?? nested?["message"], 512);
    if (code is null && title is null && message is null) return null;
    var said = string.Join(": ", new[] { title, message }.Where(part => part is not null).Distinct());
    return "downstream error " + (code ?? "(no code)") + (said.Length == 0 ? "" : ": " + said);
}

// A scalar as text, cut to a length (the settlement bounds the whole description again).
static string Text(JToken token, int maxLength)
{
    if (token is not JValue { Value: not null } value) return null;
    var text = value.ToString().Trim();
    if (text.Length == 0) return null;
    return text.Length <= maxLength ? text : text.Substring(0, maxLength) + "\u2026";
}

static string Errors(JToken source)
{
    var errors = source?["errors"] as JArray;
    if (errors is null || errors.Count == 0) return "(no detail)";
    return string.Join("; ", errors.Select(e => $"{e?["path"]}: {e?["message"]}"));
}
