using Newtonsoft.Json.Linq;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// When a run finishes, the records built for its expressions are let go and their values detached from them
/// (ActionRun.ReleaseRecord). A record an action took whole as its inputs (<c>"inputs": "@actions('Make')"</c>) is that
/// action's history: it must keep the inputs and outputs it shows.
/// </summary>
[TestClass]
public sealed class When_an_action_takes_a_whole_record_as_its_inputs_the_finished_run_keeps_that_records_values
{
    [TestMethod]
    public async Task The_composed_record_still_shows_the_actions_inputs_and_outputs()
    {
        using var host = Inline.Host("""
            { "Make": { "type": "Compose", "inputs": { "made": "by Make" }, "runAfter": {} },
              "Keep": { "type": "Compose", "inputs": "@actions('Make')", "runAfter": { "Make": ["Succeeded"] } } }
            """);

        var run = await host.RunAsync();

        var kept = run.Action("Keep").Outputs as JObject;
        Assert.IsNotNull(kept, "Keep's outputs are Make's record");
        Assert.AreEqual("by Make", (string?)kept["inputs"]?["made"], kept.ToString());
        Assert.AreEqual("by Make", (string?)kept["outputs"]?["made"], kept.ToString());
        Assert.AreEqual("Succeeded", (string?)kept["status"]);
    }

    [TestMethod]
    public async Task The_composed_trigger_record_still_shows_the_triggers_outputs()
    {
        using var host = Inline.Host("""
            { "Keep": { "type": "Compose", "inputs": "@trigger()", "runAfter": {} } }
            """);

        var run = await host.RunAsync(new JObject { ["order"] = "B-1" });

        var kept = run.Action("Keep").Outputs as JObject;
        Assert.IsNotNull(kept, "Keep's outputs are the trigger's record");
        Assert.AreEqual("B-1", (string?)kept["outputs"]?["body"]?["order"], kept.ToString());
    }
}
