using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class SecureData_Specs
{
    [TestMethod]
    public async Task Secured_inputs_and_outputs_are_hidden_in_history_but_later_actions_still_use_them()
    {
        using var host = Inline.Host("""
            {
              "Secret": { "type": "Compose", "inputs": "@triggerBody()?['password']", "runAfter": {},
                "runtimeConfiguration": { "secureData": { "properties": ["inputs", "outputs"] } } },
              "Use": { "type": "Compose", "inputs": "@concat('len=', length(outputs('Secret')))", "runAfter": { "Secret": ["Succeeded"] } }
            }
            """);
        var run = await host.RunAsync(new JObject { ["password"] = "hunter22" });

        Assert.IsTrue(JToken.DeepEquals(ActionRun.SecureDataMarker, run.Action("Secret").Inputs));
        Assert.IsTrue(JToken.DeepEquals(ActionRun.SecureDataMarker, run.Action("Secret").Outputs));
        Assert.AreEqual("len=8", (string?)run.Action("Use").Outputs);
        Assert.IsFalse(run.ToJson()["actions"]!["Secret"]!.ToString().Contains("hunter22"), "the serialized action never shows the secret");
    }

    [TestMethod]
    public async Task Secured_trigger_outputs_are_hidden_in_history_but_triggerBody_works()
    {
        using var host = Inline.Host("""{ "Read": { "type": "Compose", "inputs": "@length(triggerBody()?['token'])", "runAfter": {} } }""", trigger: """
            { "manual": { "type": "Request", "kind": "Http", "runtimeConfiguration": { "secureData": { "properties": ["outputs"] } } } }
            """);
        var run = await host.RunAsync(new JObject { ["token"] = "abc" });

        Assert.AreEqual(3L, (long)run.Action("Read").Outputs!);
        Assert.IsTrue(JToken.DeepEquals(ActionRun.SecureDataMarker, run.Trigger.Outputs));
        Assert.IsFalse(run.ToJson().ToString().Contains("\"abc\""));
    }
}
