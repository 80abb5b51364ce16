using OrderEvents.CustomCode.Storage;
using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.DeadLetterAlerts;

/// <summary>
/// One Teams card per dead letter: the alert run claims the dead letter (its queue sequence number) in the idempotency
/// store before posting and completes the claim after, so a redelivery of a dead letter already alerted (its first run's
/// complete was lost, or the host died after posting) settles it without a second card.
/// </summary>
[TestClass]
public sealed class When_the_same_dead_letter_is_delivered_again_no_second_card_is_posted
{
    [TestMethod]
    [DataRow(DeadLetters.Sap)]
    [DataRow(DeadLetters.Sms)]
    [DataRow(DeadLetters.Warehouse)]
    [DataRow(DeadLetters.Lake)]
    public async Task The_redelivery_completes_the_dead_letter_and_keeps_the_one_card_and_archive_copy(string workflow)
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));
        await scenario.DeliverAsync(workflow, deadLetter);
        // e.g. the first run's complete was lost: the broker hands out the same dead letter again.
        var again = scenario.Bus.Redeliver(deadLetter);

        var run = await scenario.DeliverAsync(workflow, again);

        run.ShouldHaveSucceeded();
        Assert.AreEqual(1, scenario.Teams.Count, "one card per dead letter");
        Assert.AreEqual("AlreadyCompleted", run.Action("Claim_the_alert").Body()!.Value<string>("state"));
        Assert.AreEqual(WorkflowStatus.Skipped, run.Action("Post_alert_to_Teams").Status);
        Assert.IsFalse(run.Action("Archive_dead_letter").Body()!.Value<bool>("created"));
        Assert.AreEqual(1, (await scenario.Objects("orders-lake", "deadletters/")).Count);
        Assert.AreEqual("completeQueueMessageV2", scenario.Bus.SettlementsOf(again).Single().Operation);
    }

    [TestMethod]
    public async Task The_claim_costs_two_storage_transactions_besides_the_archive_write()
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));
        scenario.Storage.Reset();

        (await scenario.DeliverAsync(DeadLetters.Sap, deadLetter)).ShouldHaveSucceeded();

        // The claim's conditional create and its If-Match completion, and the archive's create-if-absent.
        Assert.AreEqual(new StorageOperationCounts(Creates: 2, Reads: 0, Replaces: 1, Deletes: 0, Lists: 0), scenario.Storage.Total);
        var record = await scenario.IdempotencyRecord("sap-fulfillment-alerts", deadLetter.Value<long>("sequenceNumber").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("Completed", record?.Value<string>("state"));
    }

    [TestMethod]
    public async Task A_redelivery_while_another_run_holds_the_claim_posts_nothing_waits_and_hands_the_dead_letter_back()
    {
        using var scenario = new WorkflowScenario();
        var deadLetter = scenario.Bus.Deliver(ServiceBusFake.DeadLettered(await scenario.PublishedMessage("valid/OrderCreated.standard.json"), "InvalidMessage", "bad"));
        // A run that died while posting (its lease still running) holds the dead letter's claim.
        var held = await scenario.CustomCode.InvokeAsync("BeginIdempotency", new Newtonsoft.Json.Linq.JObject
        {
            ["consumer"] = "lake-archive-alerts",
            ["key"] = deadLetter.Value<long>("sequenceNumber").ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["leaseSeconds"] = 300,
        }, CancellationToken.None);
        Assert.AreEqual("Started", held.Value<string>("state"));

        var run = await scenario.DeliverAsync(DeadLetters.Lake, deadLetter);

        Assert.AreEqual(WorkflowStatus.Failed, run.Status);
        Assert.AreEqual(0, scenario.Teams.Count);
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Wait_before_handing_the_dead_letter_back").Status);
        Assert.AreEqual("abandonQueueMessageV2", scenario.Bus.SettlementsOf(deadLetter).Single().Operation);
    }
}
