using Newtonsoft.Json.Linq;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

[TestClass]
public sealed class CSharpScript_Specs
{
    private static string folder = null!;

    [ClassInitialize]
    public static void CreateScripts(TestContext _)
    {
        folder = Path.Combine(Path.GetTempPath(), "engine-csx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Microsoft's default template header, unchanged.
        File.WriteAllText(Path.Combine(folder, "greet.csx"), """
            #r "Newtonsoft.Json"
            #r "Microsoft.Azure.Workflows.Scripting"

            using Microsoft.Extensions.Logging;
            using Microsoft.Azure.Workflows.Scripting;
            using Newtonsoft.Json.Linq;

            public static async Task<Results> Run(WorkflowContext context, ILogger log)
            {
                var triggerOutputs = (await context.GetTriggerResults().ConfigureAwait(false)).Outputs;
                var name = triggerOutputs?["body"]?["name"]?.ToString();
                var compose = await context.GetActionResults("Prefix").ConfigureAwait(false);
                log.LogInformation("greeting {Name}", name);
                return new Results { Message = $"{compose.Outputs} {name} from CSharp action", Status = compose.Status };
            }

            public class Results
            {
                public string Message { get; set; }
                public string Status { get; set; }
            }
            """);
        File.WriteAllText(Path.Combine(folder, "broken.csx"), "public static int Run(WorkflowContext context) { return \"text\"; }");
        File.WriteAllText(Path.Combine(folder, "throws.csx"), """
            #r "Microsoft.Azure.Workflows.Scripting"
            using Microsoft.Azure.Workflows.Scripting;
            public static string Run(WorkflowContext context) => throw new InvalidOperationException("bad order");
            """);
    }

    [ClassCleanup]
    public static void DeleteScripts() => Directory.Delete(folder, recursive: true);

    private static WorkflowTestHost Host(string codeFile) => Inline.Host($$"""
        {
          "Prefix": { "type": "Compose", "inputs": "Hello", "runAfter": {} },
          "Script": { "type": "CSharpScriptCode", "inputs": { "CodeFile": "{{codeFile}}" }, "runAfter": { "Prefix": ["Succeeded"] } }
        }
        """, folder: folder);

    [TestMethod]
    public async Task The_script_reads_trigger_and_action_results_and_its_return_value_becomes_the_camel_cased_body()
    {
        using var host = Host("greet.csx");
        var run = await host.RunAsync(new JObject { ["name"] = "Jane" });

        var script = run.Action("Script");
        Assert.AreEqual(WorkflowStatus.Succeeded, script.Status, run.Describe());
        Assert.AreEqual("Hello Jane from CSharp action", script.Body()!.Value<string>("message"));
        Assert.AreEqual("Succeeded", script.Body()!.Value<string>("status"));
    }

    [TestMethod]
    public async Task A_script_that_does_not_compile_fails_the_action_naming_the_compiler_error()
    {
        using var host = Host("broken.csx");
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Script").Status);
        Assert.AreEqual("ScriptCompilationFailed", run.Action("Script").Error!.Value<string>("code"));
        StringAssert.Contains(run.Action("Script").Error!.Value<string>("message"), "CS0029");
    }

    [TestMethod]
    public async Task An_exception_in_the_script_fails_the_action_with_its_message()
    {
        using var host = Host("throws.csx");
        var run = await host.RunAsync();

        Assert.AreEqual(WorkflowStatus.Failed, run.Action("Script").Status);
        StringAssert.Contains(run.Action("Script").Error!.Value<string>("message"), "bad order");
    }

    [TestMethod]
    public async Task A_missing_script_file_fails_the_action()
    {
        using var host = Host("absent.csx");
        var run = await host.RunAsync();

        Assert.AreEqual("ScriptNotFound", run.Action("Script").Error!.Value<string>("code"));
    }
}
