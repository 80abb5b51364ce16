static async Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    if (!IsTrue(prepared?["proceed"])) return Outcome("Skipped", $"No SMS: {prepared?["sms"]?["skipReason"]}");
    // A delivery that took over an earlier attempt's claim asked Twilio first: the SMS that attempt sent counts as sent.
    var found = Body(await ResultOf(context, "Find_the_SMS_already_sent"));
    if (IsTrue(found?["found"])) return Outcome("Succeeded", $"SMS already sent by an earlier attempt ({found?["twilioMessageSid"]}); not sent again.");
    var send = await ResultOf(context, "Send_SMS");
    if (!Succeeded(send))
        return Outcome(IsRejection(StatusCode(send)) ? "DownstreamRejected" : "TransientFailure", Describe(send, "Send_SMS"));
    return Outcome("Succeeded", $"SMS sent ({Body(send)?["sid"]}).");
}
