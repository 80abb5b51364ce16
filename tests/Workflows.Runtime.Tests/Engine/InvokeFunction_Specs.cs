using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class InvokeFunction_Specs
{
    private const string CallValidate = """
        { "Validate": { "type": "invokefunction", "runAfter": {}, "inputs": { "functionName": "ValidateOrderEvent",
            "parameters": { "orderEvent": "@triggerBody()", "strict": true } } } }
        """;

    [TestMethod]
    public async Task The_function_receives_the_evaluated_parameters_and_its_result_is_the_body()
    {
        using var host = Inline.Host(CallValidate);
        host.Functions.On("ValidateOrderEvent", p => new JObject { ["isValid"] = p["orderEvent"]?["orderId"] is not null, ["strict"] = p["strict"] });

        var run = await host.RunAsync(new JObject { ["orderId"] = "o-1" });

        var validate = run.Action("Validate");
        Assert.AreEqual(WorkflowStatus.Succeeded, validate.Status);
        Assert.AreEqual("OK", validate.Code);
        Assert.AreEqual(true, (bool)validate.Body()!["isValid"]!);
        Assert.AreEqual("o-1", host.Functions.Calls.Single().Parameters["orderEvent"]!["orderId"]!.ToString());
    }

    [TestMethod]
    public async Task A_function_that_throws_fails_the_action_with_its_message()
    {
        using var host = Inline.Host(CallValidate);
        host.Functions.On("ValidateOrderEvent", _ => throw new InvalidOperationException("store unavailable"));

        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Validate").Status);
        StringAssert.Contains(run.Action("Validate").Error!.Value<string>("message"), "store unavailable");
    }

    [TestMethod]
    public async Task Calling_a_function_that_does_not_exist_fails_with_FunctionNotFound()
    {
        using var host = Inline.Host(CallValidate);
        var run = await host.RunAsync();

        Assert.AreEqual("FunctionNotFound", run.Action("Validate").Error!.Value<string>("code"));
    }
}
