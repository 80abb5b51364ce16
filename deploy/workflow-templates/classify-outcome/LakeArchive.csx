// The lake write is the work and the claim at once: created = archived now, not created = a redelivery found it.
static Task<JObject> ClassifyWork(WorkflowContext context, JToken prepared)
{
    var lake = prepared?["lake"];
    var path = $"{lake?["container"]}/{lake?["path"]}";
    if (!IsTrue(lake?["isValid"])) return Task.FromResult(Outcome("TransientFailure", "The lake refused the write: " + Errors(lake)));
    if (IsTrue(lake?["conflict"]))
        return Task.FromResult(Outcome("DownstreamRejected", $"{path} already holds a different event under this message id; it was kept."));
    return Task.FromResult(IsTrue(lake?["created"])
        ? Outcome("Succeeded", $"Archived to {path}.")
        : Outcome("AlreadyCompleted", $"{path} already held this event (a redelivery); nothing was written."));
}
