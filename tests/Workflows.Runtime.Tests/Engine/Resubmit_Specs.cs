using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class Resubmit_Specs
{
    [TestMethod]
    public async Task Resubmitting_a_finished_run_starts_a_new_run_with_the_same_trigger_outputs()
    {
        var attempts = 0;
        using var host = Inline.Host("""
            { "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Flaky", "parameters": { "order": "@triggerBody()?['orderId']" } }, "runAfter": {} } }
            """);
        host.Functions.On("Flaky", p => ++attempts == 1 ? throw new InvalidOperationException("down") : p["order"]!);

        var failed = await host.RunAsync(new JObject { ["orderId"] = "o-5" });
        var resubmitted = await host.Engine.ResubmitAsync(failed.Id);

        Assert.AreEqual(WorkflowStatus.Failed, failed.Status);
        Assert.AreEqual(WorkflowStatus.Succeeded, resubmitted.Status);
        Assert.AreNotEqual(failed.Id, resubmitted.Id);
        Assert.AreEqual(failed.Id, resubmitted.ResubmittedFrom);
        Assert.AreEqual("o-5", (string?)resubmitted.Action("Call").Body());
        Assert.AreEqual(failed.Id, (string?)resubmitted.ToJson()["resubmittedFrom"]);
        Assert.AreEqual(2, host.History.Count);
    }

    [TestMethod]
    public async Task A_run_still_in_flight_can_not_be_resubmitted()
    {
        var release = new TaskCompletionSource<JToken>();
        using var host = Inline.Host("""{ "Wait": { "type": "InvokeFunction", "inputs": { "functionName": "Hold", "parameters": {} }, "runAfter": {} } }""");
        host.UseFunctions(new HoldInvoker(release.Task));

        var response = await host.PostAsync(Inline.Name, new JObject());
        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => host.Engine.ResubmitAsync(response.Run!.Id));
        release.SetResult("done");
        await response.Run!.Completion;

        StringAssert.Contains(error.Message, "only completed runs");
    }

    [TestMethod]
    public async Task An_unknown_run_id_is_a_clear_error()
    {
        using var host = Inline.Host("{}");

        await Assert.ThrowsExactlyAsync<KeyNotFoundException>(() => host.Engine.ResubmitAsync("08584000000000000000000000000CU00"));
    }

    private sealed class HoldInvoker(Task<JToken> result) : Bindings.IFunctionInvoker
    {
        public bool HasFunction(string functionName) => true;
        public Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken) => result;
    }
}
