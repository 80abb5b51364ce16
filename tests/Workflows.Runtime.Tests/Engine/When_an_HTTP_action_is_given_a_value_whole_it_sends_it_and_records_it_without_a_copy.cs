using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// An HTTP action only reads its inputs and sends their text (the request goes out as bytes, nothing is handed a token),
/// so its inputs are evaluated read-only like a function's (docs/runtime/engine.md, "Values and copies"): a body taken whole
/// from another action's output, and a constant object of the definition, are pointed at instead of copied. The request,
/// the recorded inputs and the other action's output must be what they were with a copy.
/// </summary>
[TestClass]
public sealed class When_an_HTTP_action_is_given_a_value_whole_it_sends_it_and_records_it_without_a_copy
{
    private const string Actions = """
        { "Prepare": { "type": "Compose", "runAfter": {}, "inputs": { "request": { "sku": "A-1", "lines": [ { "qty": 2 }, { "qty": 3 } ] } } },
          "Call": { "type": "Http", "runAfter": { "Prepare": ["Succeeded"] },
            "inputs": { "method": "POST", "uri": "https://warehouse.example/api/stock", "body": "@outputs('Prepare')?['request']",
              "headers": { "Idempotency-Key": "@{outputs('Prepare')?['request']?['sku']}" },
              "retryPolicy": { "type": "fixed", "count": 1, "interval": "PT1S" } } },
          "After": { "type": "Compose", "runAfter": { "Call": ["Succeeded"] }, "inputs": "@outputs('Prepare')?['request']" } }
        """;

    private static readonly JObject Request = JObject.Parse("""{ "sku": "A-1", "lines": [ { "qty": 2 }, { "qty": 3 } ] }""");

    [TestMethod]
    public async Task The_request_carries_the_value_and_the_recorded_inputs_point_at_the_other_actions_output()
    {
        using var host = Inline.Host(Actions);
        host.Http.Then(200, """{"reserved":true}""");

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        var request = host.Http.Requests.Single();
        Assert.AreEqual("""{"sku":"A-1","lines":[{"qty":2},{"qty":3}]}""", request.Body);
        Assert.AreEqual("A-1", request.Headers["Idempotency-Key"]);
        var inputs = (JObject)run.Action("Call").Inputs!;
        Assert.IsTrue(JToken.DeepEquals(Request, inputs["body"]), inputs.ToString());
        Assert.AreEqual("""{"method":"POST","uri":"https://warehouse.example/api/stock","body":{"sku":"A-1","lines":[{"qty":2},{"qty":3}]},"headers":{"Idempotency-Key":"A-1"},"retryPolicy":{"type":"fixed","count":1,"interval":"PT1S"}}""",
            inputs.ToString(Newtonsoft.Json.Formatting.None));
        Assert.IsTrue(JToken.DeepEquals(Request, run.Action("After").Outputs), run.Action("After").Outputs!.ToString());
        Assert.IsTrue(JToken.DeepEquals(Request, run.Action("Prepare").Outputs!["request"]), run.Action("Prepare").Outputs!.ToString());
    }

    [TestMethod]
    public async Task A_second_run_sends_and_records_the_same_as_the_first()
    {
        // The definition's constant retry policy and the first run's values are pointed at, never adopted: the next run of the
        // same definition must find them where they were.
        using var host = Inline.Host(Actions);
        host.Http.Then(200, "{}");
        host.Http.Then(200, "{}");

        var first = await host.RunAsync();
        var second = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Succeeded, second.Status, second.Describe());
        Assert.AreEqual(host.Http.Requests[0].Body, host.Http.Requests[1].Body);
        Assert.AreEqual(first.Action("Call").Inputs!.ToString(Newtonsoft.Json.Formatting.None), second.Action("Call").Inputs!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.IsTrue(JToken.DeepEquals(Request, first.Action("Prepare").Outputs!["request"]), first.Action("Prepare").Outputs!.ToString());
    }
}
