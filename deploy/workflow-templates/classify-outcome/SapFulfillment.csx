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
