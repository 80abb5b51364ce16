static async Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    if (!IsTrue(prepared?["proceed"])) return Outcome("Skipped", $"No warehouse call: {prepared?["warehouse"]?["skipReason"]}");
    var call = await ResultOf(context, "Call_the_warehouse_API");
    if (!Succeeded(call))
        return Outcome(IsRejection(StatusCode(call)) ? "DownstreamRejected" : "TransientFailure", Describe(call, "Call_the_warehouse_API"));
    return Outcome("Succeeded", $"Warehouse answered HTTP {StatusCode(call)}.");
}
