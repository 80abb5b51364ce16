static async Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    if (!IsTrue(prepared?["proceed"])) return Outcome("Skipped", $"No SMS: {prepared?["sms"]?["skipReason"]}");
    // A delivery that took over an earlier attempt's claim asked Twilio first: the SMS that attempt sent counts as sent.
    var found = Body(await ResultOf(context, "Find_the_SMS_already_sent"));
    if (IsTrue(found?["found"])) return Outcome("Succeeded", $"SMS already sent by an earlier attempt ({found?["twilioMessageSid"]}); not sent again.");
    var sendAction = "Send_SMS";
    var send = await ResultOf(context, sendAction);
    if (!Ran(send))
    {
        sendAction = "Send_SMS_after_checking_Twilio";
        send = await ResultOf(context, sendAction) ?? send;
    }
    if (!Succeeded(send))
        return Outcome(IsRejection(StatusCode(send)) ? "DownstreamRejected" : "TransientFailure", Describe(send, sendAction));
    return Outcome("Succeeded", $"SMS sent ({Body(send)?["sid"]}).");
}

static bool Ran(WorkflowOperationResult result) =>
    result is not null && !string.Equals(result.Status?.ToString(), "Skipped", StringComparison.OrdinalIgnoreCase);
