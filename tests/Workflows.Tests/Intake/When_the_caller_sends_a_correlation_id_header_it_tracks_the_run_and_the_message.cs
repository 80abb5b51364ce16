using Newtonsoft.Json.Linq;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

[TestClass]
public sealed class When_the_caller_sends_a_correlation_id_header_it_tracks_the_run_and_the_message
{
    [TestMethod]
    public async Task The_header_wins_over_the_events_correlation_id()
    {
        using var scenario = new WorkflowScenario();
        var headers = new JObject { ["Content-Type"] = "application/json", ["x-correlation-id"] = "flow-run-8f1d2c" };

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")), headers);
        var run = await response.Run!.Completion;

        Assert.AreEqual("flow-run-8f1d2c", run.ClientTrackingId);
        Assert.AreEqual("flow-run-8f1d2c", response.Headers.Value<string>("x-ms-client-tracking-id"));
        Assert.AreEqual("flow-run-8f1d2c", response.Headers.Value<string>("x-correlation-id"));
        Assert.AreEqual("flow-run-8f1d2c", response.Body?.Value<string>("correlationId"));
        Assert.AreEqual("flow-run-8f1d2c", scenario.Bus.Sent.Single().Value<string>("correlationId"));
    }

    [TestMethod]
    public async Task Without_the_header_the_events_correlation_id_tracks_the_run()
    {
        using var scenario = new WorkflowScenario();

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("valid/OrderCreated.standard.json")));

        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", (await response.Run!.Completion).ClientTrackingId);
        Assert.AreEqual("c0a8012e-7d3f-4b8e-9a61-2f6d1c9e4b70", scenario.Bus.Sent.Single().Value<string>("correlationId"));
    }

    [TestMethod]
    public async Task An_invalid_event_still_echoes_the_callers_correlation_id()
    {
        using var scenario = new WorkflowScenario();
        var headers = new JObject { ["Content-Type"] = "application/json", ["x-correlation-id"] = "flow-run-8f1d2c" };

        var response = await scenario.Host.PostAsync("OrderIntake", JToken.Parse(Project.Sample("invalid/missing-fields.json")), headers);

        Assert.AreEqual(400, response.StatusCode);
        Assert.AreEqual("flow-run-8f1d2c", response.Headers.Value<string>("x-correlation-id"));
        Assert.AreEqual("flow-run-8f1d2c", (await response.Run!.Completion).ClientTrackingId);
    }
}
