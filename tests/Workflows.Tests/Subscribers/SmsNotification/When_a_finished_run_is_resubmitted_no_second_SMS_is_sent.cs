using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_a_finished_run_is_resubmitted_no_second_SMS_is_sent
{
    [TestMethod]
    public async Task The_resubmitted_run_succeeds_as_already_completed()
    {
        using var scenario = new WorkflowScenario();
        var original = await scenario.DeliverAsync("SmsNotification", await scenario.Delivery("valid/OrderCreated.standard.json"));

        var resubmitted = await scenario.ResubmitAsync(original);

        resubmitted.ShouldHaveSucceeded();
        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual("AlreadyCompleted", resubmitted.Outcome());
        Assert.AreEqual(1, scenario.Twilio.Count);
        Assert.AreEqual("SettlementSkipped: lock expired", resubmitted.Succeeded("Record_settlement_skipped").TrackedProperties!.Value<string>("settlement"));
    }
}
