static async Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    if (!IsTrue(prepared?["proceed"])) return Outcome("Skipped", $"No SMS: {prepared?["sms"]?["skipReason"]}");
    var send = await ResultOf(context, "Send_SMS");
    if (!Succeeded(send))
        return Outcome(IsRejection(StatusCode(send)) ? "DownstreamRejected" : "TransientFailure", Describe(send, "Send_SMS"));
    return Outcome("Succeeded", $"SMS sent ({Body(send)?["sid"]}).");
}
