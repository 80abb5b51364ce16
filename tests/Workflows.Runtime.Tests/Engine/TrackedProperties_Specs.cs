using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class TrackedProperties_Specs
{
    [TestMethod]
    public async Task Tracked_properties_are_evaluated_after_the_action_and_can_read_it_with_action()
    {
        using var host = Inline.Host("""
            { "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Decide", "parameters": { "id": "@triggerBody()?['orderId']" } }, "runAfter": {},
                "trackedProperties": { "orderId": "@triggerBody()?['orderId']", "decision": "@action()?['outputs']?['body']?['action']", "status": "@action()?['status']" } } }
            """);
        host.Functions.On("Decide", _ => new JObject { ["action"] = "complete" });

        var run = await host.RunAsync(new JObject { ["orderId"] = "o-8" });

        var tracked = run.Action("Call").TrackedProperties!;
        Assert.AreEqual("o-8", (string?)tracked["orderId"]);
        Assert.AreEqual("complete", (string?)tracked["decision"]);
        Assert.AreEqual("Succeeded", (string?)tracked["status"]);
        Assert.AreEqual("complete", (string?)run.ToJson()["actions"]!["Call"]!["trackedProperties"]!["decision"]);
    }

    [TestMethod]
    public async Task A_tracked_property_that_fails_to_evaluate_does_not_fail_the_action()
    {
        using var host = Inline.Host("""
            { "Work": { "type": "Compose", "inputs": 1, "runAfter": {}, "trackedProperties": { "bad": "@div(1, 0)" } } }
            """);
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Action("Work").Status);
        StringAssert.Contains((string?)run.Action("Work").TrackedProperties!["$error"], "Tracked properties could not be evaluated");
    }
}
