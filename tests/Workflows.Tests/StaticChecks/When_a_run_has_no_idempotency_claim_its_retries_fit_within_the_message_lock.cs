using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// A run triggered by a queue or subscription holds its message's lock only for the entity's LockDuration; if the
/// run is still retrying when the lock expires, the broker delivers the message again and a second run repeats what
/// the first already did (a second Teams card). Where no idempotency claim (a custom-code step taking a lease) and no
/// create-if-absent archive (the lake) guards the side effect, the worst-case waits of the whole run (<see cref="WorstCaseWaits"/>) must be
/// below the LockDuration. Every queue-triggered workflow of the project claims now (the dead-letter alert workflows claim
/// their dead letter before posting the card); the specs below take the claim away to show the check. The subscribers are guarded by their claim instead, whose lease must outlast the lock and
/// the retries of their work (When_a_subscriber_claims_a_message_the_lease_outlasts_the_lock_and_the_retries): their
/// downstream calls (SAP, Twilio, warehouse) may take longer than a lock, and a redelivery then backs off.
/// </summary>
internal static class RetriesWithinTheLock
{
    public static IEnumerable<string> Checked(LogicAppFiles files) =>
        files.Workflows.Keys.Where(name => WorstCaseWaits.TriggerLock(files, name) is not null && !ClaimsIdempotency(files, name)).Order();

    public static IReadOnlyList<string> Find(LogicAppFiles files)
    {
        var problems = new List<string>();
        foreach (var name in Checked(files))
        {
            var (entity, lockDuration) = WorstCaseWaits.TriggerLock(files, name)!.Value;
            var budget = WorstCaseWaits.OfWorkflow(name, files.Workflows[name]);
            problems.AddRange(budget.Problems);
            if (budget.Total >= lockDuration)
                problems.Add($"{name}: its worst-case waits ({budget.Explain()} = {WorstCaseWaits.Seconds(budget.Total)}) are not below the LockDuration of '{entity}' ({WorstCaseWaits.Seconds(lockDuration)}): the message can be delivered again while the run still retries.");
        }
        return problems;
    }

    private static bool ClaimsIdempotency(LogicAppFiles files, string name) =>
        IdempotentSteps.IsIdempotent(name, files.Workflows[name]);
}

[TestClass]
public sealed class When_a_run_has_no_idempotency_claim_its_retries_fit_within_the_message_lock
{
    private const string Teams = "Post_alert_to_Teams";

    [TestMethod]
    public void Every_queue_triggered_workflow_claims_so_none_relies_on_its_lock_alone() =>
        Assert.IsEmpty(RetriesWithinTheLock.Checked(LogicAppFiles.Repository()).ToArray());

    [TestMethod]
    public void The_former_Teams_retries_on_a_one_minute_lock_are_reported_for_an_alert_workflow_without_its_claim()
    {
        using var fixture = new DefectFixture()
            .EditWorkflow("SmsNotificationDeadLetters", w =>
            {
                WithoutTheAlertClaim(w);
                w.SelectTokens($"$..{Teams}.inputs.retryPolicy").Single()
                    .Replace(JObject.Parse("""{"type": "exponential", "count": 3, "interval": "PT10S", "minimumInterval": "PT10S", "maximumInterval": "PT1M"}"""));
            })
            .EditJson("deploy/servicebus/Config.json", c => c.SelectTokens("$..Queues[?(@.Name == 'deadletters-sms-notification')].Properties.LockDuration").Single().Replace("PT1M"));
        CollectionAssert.AreEqual(new[] { "SmsNotificationDeadLetters" }, RetriesWithinTheLock.Checked(fixture.Files).ToArray());
        Problems.AssertReported(RetriesWithinTheLock.Find(fixture.Files),
            "SmsNotificationDeadLetters: its worst-case waits (Post_alert_to_Teams 180 s + Complete_the_dead_letter 10 s + Wait_before_handing_the_dead_letter_back 60 s + Abandon_the_dead_letter 10 s = 260 s) are not below the LockDuration of 'deadletters-sms-notification' (60 s)");
    }

    [TestMethod]
    public void An_exponential_policy_without_a_maximum_interval_is_counted_at_the_one_hour_default()
    {
        using var fixture = new DefectFixture().EditWorkflow("LakeArchiveDeadLetters", w =>
        {
            WithoutTheAlertClaim(w);
            ((JObject)w.SelectTokens($"$..{Teams}.inputs.retryPolicy").Single()).Remove("maximumInterval");
        });
        Problems.AssertReported(RetriesWithinTheLock.Find(fixture.Files), "Post_alert_to_Teams 10800 s");
    }

    /// <summary>The alert workflow as it was before it claimed its dead letter: the claiming step calls a function without a lease.</summary>
    private static void WithoutTheAlertClaim(JObject workflow) =>
        workflow.SelectTokens("$..Claim_the_alert.inputs.functionName").Single().Replace("BuildDeadLetterAlertCard");

    [TestMethod]
    public void A_subscriber_that_loses_its_claim_comes_under_the_check()
    {
        using var fixture = new DefectFixture().EditWorkflow("SmsNotification",
            w => w.SelectTokens("$..Prepare_the_SMS.inputs.functionName").Single().Replace("MapToSms"));
        CollectionAssert.Contains(RetriesWithinTheLock.Checked(fixture.Files).ToArray(), "SmsNotification");
        Problems.AssertReported(RetriesWithinTheLock.Find(fixture.Files), "SmsNotification: its worst-case waits");
    }
}
