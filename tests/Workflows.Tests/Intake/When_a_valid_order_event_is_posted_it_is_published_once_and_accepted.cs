using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

[TestClass]
public sealed class When_a_valid_order_event_is_posted_it_is_published_once_and_accepted
{
    [TestMethod]
    public async Task The_caller_gets_202_with_the_message_id_and_correlation_id()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));

        Assert.AreEqual(202, response.StatusCode);
        Assert.AreEqual("Accepted", response.Body?.Value<string>("status"));
        Assert.AreEqual("order-100482-created-v1", response.Body?.Value<string>("messageId"));
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", response.Body?.Value<string>("correlationId"));
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", response.Headers.Value<string>("x-correlation-id"));
        (await response.Run!.Completion).ShouldHaveSucceeded();
    }

    [TestMethod]
    public async Task The_orders_topic_gets_exactly_the_message_the_builder_makes()
    {
        using var scenario = new WorkflowScenario();
        var expected = await scenario.PublishedMessage("valid/OrderCreated.standard.json");

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));
        var run = await response.Run!.Completion;

        Assert.IsTrue(JToken.DeepEquals(expected, scenario.Bus.Sent.Single()), scenario.Bus.Sent.Single().ToString());
        Assert.AreEqual("orders", run.Action("Publish_to_the_orders_topic").ActualInputs()?["parameters"]?.Value<string>("entityName"));
        Assert.AreEqual("100482", expected.Value<string>("sessionId"), "the session id is the order id (SAP and warehouse subscriptions are session-enabled)");
        var tracked = run.Action("Publish_to_the_orders_topic").TrackedProperties!;
        Assert.AreEqual("order-100482-created-v1", tracked.Value<string>("messageId"));
        Assert.AreEqual("100482", tracked.Value<string>("sessionId"));
        Assert.AreEqual("OrderCreated", tracked.Value<string>("eventType"));
    }

    [TestMethod]
    [DataRow("valid/OrderCreated.unicode-names.json")]
    [DataRow("valid/OrderCreated.v1.1.promised-delivery-date.json")]
    [DataRow("valid/OrderUpdated.fractional-quantity.json")]
    [DataRow("valid/OrderCancelled.with-reason.json")]
    public async Task Every_valid_sample_is_accepted(string sample)
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample(sample)));

        Assert.AreEqual(202, response.StatusCode, response.Body?.ToString());
        Assert.AreEqual(1, scenario.Bus.Sent.Count);
    }
}
