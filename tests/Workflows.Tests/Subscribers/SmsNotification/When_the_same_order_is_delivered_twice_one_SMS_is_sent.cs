using Workflows.Tests.Support;

namespace Workflows.Tests.Subscribers.SmsNotification;

[TestClass]
public sealed class When_the_same_order_is_delivered_twice_one_SMS_is_sent
{
    [TestMethod]
    public async Task The_second_delivery_is_completed_without_calling_Twilio()
    {
        using var scenario = new WorkflowScenario();
        var message = await scenario.PublishedMessage("valid/OrderCreated.standard.json");
        await scenario.DeliverAsync("SmsNotification", scenario.Bus.Deliver(message));

        var second = scenario.Bus.Deliver(message);
        var run = await scenario.DeliverAsync("SmsNotification", second);

        run.ShouldHaveSucceeded();
        Assert.AreEqual("AlreadyCompleted", run.Outcome());
        Assert.AreEqual(1, scenario.Twilio.Count);
        Assert.AreEqual("completeTopicMessageV2", scenario.Bus.SettlementsOf(second).Single().Operation);
    }
}
