using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers;

/// <summary>An operator resubmits a run from the portal: the same trigger outputs, so the original, long-settled lock
/// token. The idempotency claim (the lake file for the archive) decides whether the work is done again.</summary>
[TestClass]
public sealed class When_a_finished_run_is_resubmitted_the_work_is_not_done_again
{
    [TestMethod]
    [DataRow("SapFulfillment")]
    [DataRow("SmsNotification")]
    [DataRow("WarehouseInventory")]
    [DataRow("LakeArchive")]
    public async Task The_resubmitted_run_succeeds_as_already_completed_and_records_the_skipped_settlement(string workflow)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        var original = await scenario.DeliverAsync(workflow, await scenario.Delivery("valid/OrderCreated.standard.json"));

        var resubmitted = await scenario.ResubmitAsync(original);

        resubmitted.ShouldHaveSucceeded();
        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual(original.ClientTrackingId, resubmitted.ClientTrackingId);
        Assert.AreEqual("AlreadyCompleted", resubmitted.Outcome());
        Assert.AreEqual(1, await subscriber.WorkDone(scenario));
        // The replayed lock token was settled by the original run: the broker refuses it.
        Assert.IsFalse(scenario.Bus.Settlements.Last().Accepted);
        Assert.AreEqual("SettlementSkipped: lock expired", resubmitted.Succeeded("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));
    }

    [TestMethod]
    [DataRow("SapFulfillment", 1)]
    [DataRow("SmsNotification", 3)]
    [DataRow("WarehouseInventory", 5)]
    [DataRow("LakeArchive", 0)]
    public async Task A_resubmitted_run_whose_work_failed_does_the_work_now(string workflow, int workTried)
    {
        var subscriber = Subscriber.Named(workflow);
        using var scenario = subscriber.Scenario();
        subscriber.FailTransiently(scenario, deliveries: 1);
        var original = await scenario.DeliverAsync(workflow, await scenario.Delivery("valid/OrderCreated.standard.json"));
        original.ShouldHaveFailedWith("TransientFailure");

        var resubmitted = await scenario.ResubmitAsync(original);
        var sap = workflow == "SapFulfillment";
        if (sap)
        {
            // The failed create may have reached SAP: the resubmitted run asks SAP first (GetList), finds no order and
            // gives the claim back; the next resubmission (or the broker's redelivery) creates it.
            resubmitted.ShouldHaveFailedWith("TransientFailure");
            StringAssert.Contains(resubmitted.Error!.Value<string>("message"), "SAP holds no sales order");
            resubmitted = await scenario.ResubmitAsync(original);
        }

        resubmitted.ShouldHaveSucceeded();
        Assert.AreEqual("Succeeded", resubmitted.Outcome());
        Assert.AreEqual(workTried + (sap ? 2 : 1), await subscriber.WorkDone(scenario), sap ? "the look-up, then the create, which succeeds" : "one more call, which succeeds");
        if (workflow == "SapFulfillment") Assert.AreEqual(1, scenario.Sap.Committed.Count);
        Assert.IsTrue(resubmitted.TryGetAction("Record_settlement_skipped", out var skipped) && skipped.Status == WorkflowStatus.Succeeded,
            "the original run abandoned the message, so the resubmitted run's settle finds no lock");
    }
}
