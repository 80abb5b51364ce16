using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// A subscriber passes the message whole to the function that reads it (<c>"message": "@triggerBody()"</c>). The
/// function's parameters and the action's recorded inputs point at the trigger's body instead of a copy of it
/// (docs/runtime/engine.md, "Values passed whole to a function"); the run must still see the same values everywhere: the
/// recorded inputs, the trigger's body for later actions, the finished run's history, and a function that changes what it
/// was given changes none of them.
/// </summary>
[TestClass]
public sealed class When_a_function_is_given_the_trigger_body_whole_its_recorded_inputs_show_the_body_without_a_copy
{
    private const string Actions = """
        { "Prepare": { "type": "InvokeFunction", "runAfter": {}, "inputs": { "functionName": "Prepare",
            "parameters": { "message": "@triggerBody()", "consumer": "sap", "nested": { "lines": "@triggerBody()?['lines']" }, "listed": ["@triggerBody()?['orderId']"] } } },
          "After": { "type": "Compose", "runAfter": { "Prepare": ["Succeeded"] },
            "inputs": { "orderId": "@triggerBody()?['orderId']", "lines": "@length(triggerBody()?['lines'])", "body": "@triggerBody()" } } }
        """;

    private static JObject Message() => new()
    {
        ["orderId"] = "o-7",
        ["lines"] = new JArray(new JObject { ["sku"] = "A", ["qty"] = 2 }, new JObject { ["sku"] = "B", ["qty"] = 1 }),
    };

    [TestMethod]
    public async Task The_function_reads_the_triggers_own_body_and_the_recorded_inputs_show_it()
    {
        using var host = Inline.Host(Actions);
        JToken? seen = null;
        host.Functions.On("Prepare", p => { seen = p["message"]?["lines"]?[1]?["sku"]; return new JObject(); });

        var run = await host.RunAsync(Message());

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.AreEqual("B", (string?)seen);
        var passed = host.Functions.Calls.Single().Parameters;
        var inputs = (JObject)run.Action("Prepare").Inputs!;
        Assert.IsTrue(JToken.DeepEquals(Message(), inputs["parameters"]?["message"]), inputs.ToString());
        Assert.IsTrue(JToken.DeepEquals(Message()["lines"], inputs["parameters"]?["nested"]?["lines"]), inputs.ToString());
        Assert.AreEqual("o-7", (string?)inputs["parameters"]?["listed"]?[0], inputs.ToString());
        Assert.AreEqual("sap", (string?)inputs["parameters"]?["consumer"]);
        Assert.AreEqual("""{"functionName":"Prepare","parameters":{"message":{"orderId":"o-7","lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}]},"consumer":"sap","nested":{"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}]},"listed":["o-7"]}}""",
            inputs.ToString(Newtonsoft.Json.Formatting.None));
        Assert.IsTrue(JToken.DeepEquals(Message(), passed["message"]), passed.ToString());
        // Not a copy: the value handed over is still the trigger outputs' body (its one parent), not the parameters'.
        Assert.AreEqual("body", (passed["message"]!.Parent as JProperty)?.Name, "the message's parent");
        Assert.IsNotNull(passed["message"]!.Parent!.Parent?["headers"], "the message's home is the trigger's outputs");
    }

    [TestMethod]
    public async Task Later_actions_still_read_the_triggers_body_through_its_own_parent()
    {
        using var host = Inline.Host(Actions);
        host.Functions.On("Prepare", _ => new JObject());

        var run = await host.RunAsync(Message());

        var after = (JObject)run.Action("After").Outputs!;
        Assert.AreEqual("o-7", (string?)after["orderId"], after.ToString());
        Assert.AreEqual(2, (int?)after["lines"], after.ToString());
        Assert.IsTrue(JToken.DeepEquals(Message(), after["body"]), after.ToString());
        Assert.IsTrue(JToken.DeepEquals(Message(), run.Trigger.Outputs["body"]), run.Trigger.Outputs.ToString());
    }

    [TestMethod]
    public async Task A_function_that_changes_its_parameters_changes_nothing_the_run_shows()
    {
        using var host = Inline.Host(Actions);
        host.Functions.On("Prepare", p =>
        {
            ((JObject)p["message"]!)["orderId"] = "changed";
            ((JArray)p["message"]!["lines"]!).RemoveAt(0);
            ((JObject)p["nested"]!).Remove("lines");
            return new JObject();
        });

        var run = await host.RunAsync(Message());

        var inputs = (JObject)run.Action("Prepare").Inputs!;
        Assert.IsTrue(JToken.DeepEquals(Message(), inputs["parameters"]?["message"]), inputs.ToString());
        Assert.IsTrue(JToken.DeepEquals(Message()["lines"], inputs["parameters"]?["nested"]?["lines"]), inputs.ToString());
        Assert.IsTrue(JToken.DeepEquals(Message(), run.Trigger.Outputs["body"]), run.Trigger.Outputs.ToString());
        Assert.AreEqual("o-7", (string?)run.Action("After").Outputs?["orderId"]);
    }
}
