using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.CustomCode;

/// <summary>
/// The built custom code is in the app: for every function a workflow calls (<c>InvokeFunction</c>) the Functions
/// SDK's metadata <c>lib/custom/&lt;Function&gt;/function.json</c>, and the assemblies in <c>lib/custom/net8</c>
/// (or <c>net472</c>). Learn ("Create and run .NET code from Standard workflows", Deploy your code): build the code
/// and make sure all dependent assemblies exist in lib/custom/net8 before you deploy. Without them the zip deploys
/// cleanly and then every InvokeFunction fails, which means every workflow.
/// https://learn.microsoft.com/azure/logic-apps/create-run-custom-code-functions#deploy-your-code
/// </summary>
public static class BuiltCustomCode
{
    public const string Folder = "lib/custom";
    public static readonly IReadOnlyList<string> AssemblyFolders = ["lib/custom/net8", "lib/custom/net472"];
    public const string HostProject = "CustomCode/OrderEvents.Functions";

    public static readonly string BuildFix =
        $"build {HostProject} where Microsoft's Logic Apps SDK restores (dotnet build -c Release {HostProject}; it publishes into lib/custom), then package again.";

    /// <summary>The custom-code functions the workflows call, with the workflows that call each.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> CalledFunctions(IEnumerable<(string Name, JObject Workflow)> workflows)
    {
        var called = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, workflow) in workflows)
        {
            foreach (var (_, action) in WorkflowFiles.OperationsOfType(workflow, "InvokeFunction"))
            {
                // An expression (@...) names the function only at run time; nothing to check before.
                if (action.SelectToken("inputs.functionName") is not JValue { Type: JTokenType.String } value || ((string)value!).StartsWith('@')) continue;
                var function = (string)value!;
                if (!called.TryGetValue(function, out var callers)) called[function] = callers = [];
                if (!callers.Contains(name)) callers.Add(name);
            }
        }
        return called.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value);
    }

    public static IReadOnlyList<PreflightProblem> Find(AppContent content, IEnumerable<(string Name, JObject Workflow)> workflows)
    {
        var problems = new List<PreflightProblem>();
        var called = CalledFunctions(workflows);
        if (called.Count == 0) return problems;

        var assemblies = AssemblyFolders.SelectMany(content.Under)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (assemblies.Length == 0)
        {
            problems.Add(new PreflightProblem("lib/custom/net8",
                $"holds no assembly, but the workflows call {called.Count} custom-code function(s) ({string.Join(", ", called.Keys)}).", BuildFix));
        }
        var assemblyNames = assemblies.Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (function, callers) in called)
        {
            var metadata = $"{Folder}/{function}/function.json";
            if (!content.Contains(metadata))
            {
                problems.Add(new PreflightProblem(metadata, $"is missing: {string.Join(", ", callers)} call(s) the custom-code function '{function}'.", BuildFix));
                continue;
            }
            var scriptFile = ScriptFile(content, metadata, problems);
            if (scriptFile is not null && assemblies.Length > 0 && !assemblyNames.Contains(Path.GetFileName(scriptFile.Replace('\\', '/'))))
            {
                problems.Add(new PreflightProblem(metadata,
                    $"names the assembly '{scriptFile}', which is not in {string.Join(" or ", AssemblyFolders)}.", BuildFix));
            }
        }
        return problems;
    }

    /// <summary>The function.json's script file (the SDK writes <c>scriptFile</c>; the runtime reads it case-insensitively).</summary>
    private static string? ScriptFile(AppContent content, string path, List<PreflightProblem> problems)
    {
        try
        {
            var json = JToken.Parse(content.ReadText(path)) as JObject;
            if (json is null) throw new JsonReaderException("not an object");
            var property = json.Properties().FirstOrDefault(p => p.Name.Equals("scriptFile", StringComparison.OrdinalIgnoreCase));
            return property?.Value.Type == JTokenType.String ? (string?)property.Value : null;
        }
        catch (JsonReaderException ex)
        {
            problems.Add(new PreflightProblem(path, $"is not a JSON object ({ex.Message}).", BuildFix));
            return null;
        }
    }
}
