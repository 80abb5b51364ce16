using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SapFulfillment;

[TestClass]
public sealed class When_a_finished_run_is_resubmitted_SAP_is_not_called_again
{
    [TestMethod]
    public async Task The_resubmitted_run_succeeds_as_already_completed_and_records_the_skipped_settlement()
    {
        using var scenario = new WorkflowScenario();
        var original = await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var resubmitted = await scenario.ResubmitAsync(original);

        resubmitted.ShouldHaveSucceeded();
        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual(original.ClientTrackingId, resubmitted.ClientTrackingId);
        Assert.AreEqual("AlreadyCompleted", resubmitted.Outcome());
        Assert.AreEqual(1, scenario.Sap.BapiCalls.Count);
        // The replayed lock token was settled by the original run: the broker refuses it.
        Assert.IsFalse(scenario.Bus.Settlements.Last().Accepted);
        Assert.AreEqual("SettlementSkipped: lock expired", resubmitted.Succeeded("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));
    }

    [TestMethod]
    public async Task A_resubmitted_run_whose_work_was_not_done_creates_the_order_now()
    {
        using var scenario = new WorkflowScenario();
        scenario.Sap.FailNextCalls(1);
        var original = await scenario.DeliverAsync("SapFulfillment", await scenario.Delivery("valid/OrderCreated.standard.json"));
        original.ShouldHaveFailedWith("TransientFailure");

        var resubmitted = await scenario.ResubmitAsync(original);

        Assert.AreEqual("Succeeded", resubmitted.Outcome());
        Assert.AreEqual(1, scenario.Sap.Committed.Count);
        resubmitted.ShouldHaveSucceeded();
        Assert.IsTrue(resubmitted.TryGetAction("Record_settlement_skipped", out var skipped) && skipped.Status == Workflows.Runtime.WorkflowStatus.Succeeded,
            "the original run abandoned the message, so the resubmitted run's settle finds no lock");
    }
}
