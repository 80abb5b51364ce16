// SAP commits with the call itself (bapiCallMethod autoCommit): the RETURN table and the auto-commit response decide.
static async Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    var sap = prepared?["sap"];
    if (!IsTrue(prepared?["proceed"]))
    {
        return sap?["errors"] is JArray { Count: > 0 }
            ? Outcome("DownstreamRejected", "SAP cannot take this change: " + Errors(sap))
            : Outcome("Skipped", $"Nothing to send to SAP ({sap?["operation"]}, sales document {sap?["salesDocument"]}).");
    }
    var call = await ResultOf(context, "Call_SAP_BAPI");
    if (!Succeeded(call)) return Outcome("TransientFailure", Describe(call, "Call_SAP_BAPI"));
    var record = await ResultOf(context, "Record_the_SAP_result");
    if (!Succeeded(record)) return Outcome("TransientFailure", Describe(record, "Record_the_SAP_result") + " (SAP's answer could not be read)");
    var result = Body(record);
    if (IsTrue(result?["notCommitted"]) && !IsTrue(result?["isTransient"]))
        return Outcome("DownstreamRejected", "SAP answered without errors but with warnings, so the auto-commit did not commit: " + SapMessages(result));
    if (!IsTrue(result?["succeeded"]))
        return Outcome(IsTrue(result?["isTransient"]) ? "TransientFailure" : "DownstreamRejected", "SAP did not accept the BAPI call: " + SapMessages(result));
    return Outcome("Succeeded", $"SAP committed {result?["operation"]} on sales document {result?["salesDocument"] ?? sap?["salesDocument"]}.");
}

static string SapMessages(JToken result)
{
    var messages = result?["messages"] as JArray;
    if (messages is null || messages.Count == 0) return Errors(result);
    return string.Join("; ", messages.Select(m => $"{m?["type"]} {m?["id"]}/{m?["number"]}: {m?["message"]}"));
}
