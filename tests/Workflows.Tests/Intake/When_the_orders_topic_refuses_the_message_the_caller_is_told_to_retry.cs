using LocalLogicApp.Bindings;
using Newtonsoft.Json.Linq;
using Workflows.Runtime;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

[TestClass]
public sealed class When_the_orders_topic_refuses_the_message_the_caller_is_told_to_retry
{
    private static readonly Workflows.Runtime.Bindings.ConnectorResponse Busy =
        ServiceProviderFailure.Create(503, "ServiceBusy", "The server is busy. Please retry the operation.");

    [TestMethod]
    public async Task After_the_retries_the_caller_gets_503_with_Retry_After_and_the_run_fails()
    {
        using var scenario = new WorkflowScenario();
        scenario.Bus.AnswerSendWith(Busy, times: 3);

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));
        var run = await response.Run!.Completion;

        Assert.AreEqual(503, response.StatusCode);
        Assert.AreEqual("30", response.Headers.Value<string>("Retry-After"));
        Assert.AreEqual("PublishFailed", response.Body?.Value<string>("error"));
        Assert.AreEqual("order-100482-created-v1", response.Body?.Value<string>("messageId"));
        Assert.AreEqual(3, scenario.Host.ServiceProvider("/serviceProviders/serviceBus").CallsTo("sendMessage").Count, "the first attempt and the policy's two retries");
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5) }, scenario.Host.Clock.Waits.ToArray());
        Assert.AreEqual(0, scenario.Bus.Sent.Count);
        Assert.AreEqual(WorkflowStatus.Failed, run.Status, "README: a publish failure ends the run Failed so run history shows it");
    }

    [TestMethod]
    public async Task A_topic_that_recovers_within_the_retries_gets_the_event_accepted()
    {
        using var scenario = new WorkflowScenario();
        scenario.Bus.AnswerSendWith(Busy, times: 1);

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));

        Assert.AreEqual(202, response.StatusCode);
        Assert.AreEqual(1, scenario.Bus.Sent.Count);
    }
}
