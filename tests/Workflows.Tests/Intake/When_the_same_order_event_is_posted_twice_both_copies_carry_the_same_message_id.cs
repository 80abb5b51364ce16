using Newtonsoft.Json.Linq;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

[TestClass]
public sealed class When_the_same_order_event_is_posted_twice_both_copies_carry_the_same_message_id
{
    // The intake keeps no state: the topic's duplicate detection (by messageId) drops the second copy, and
    // every subscriber's idempotency record stops a second side effect if it still arrives.
    [TestMethod]
    public async Task A_caller_retry_publishes_a_copy_the_topic_can_recognise()
    {
        using var scenario = new WorkflowScenario();
        var orderEvent = JToken.Parse(Project.Sample("valid/OrderCreated.standard.json"));

        var first = await scenario.Host.PostAsync("OrderIntake", orderEvent);
        var second = await scenario.Host.PostAsync("OrderIntake", orderEvent);

        Assert.AreEqual(202, first.StatusCode);
        Assert.AreEqual(202, second.StatusCode);
        Assert.AreEqual(2, scenario.Bus.Sent.Count);
        Assert.IsTrue(JToken.DeepEquals(scenario.Bus.Sent[0], scenario.Bus.Sent[1]));
    }

    [TestMethod]
    public async Task A_resubmitted_intake_run_publishes_the_same_message_again()
    {
        using var scenario = new WorkflowScenario();
        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));
        var original = await response.Run!.Completion;

        var resubmitted = await scenario.ResubmitAsync(original);

        resubmitted.ShouldHaveSucceeded();
        Assert.AreEqual(original.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual(original.ClientTrackingId, resubmitted.ClientTrackingId);
        Assert.AreEqual(2, scenario.Bus.Sent.Count);
        Assert.AreEqual(scenario.Bus.Sent[0].Value<string>("messageId"), scenario.Bus.Sent[1].Value<string>("messageId"));
    }
}
