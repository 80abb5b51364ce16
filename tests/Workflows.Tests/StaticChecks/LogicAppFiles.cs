using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>The Logic App files of one repository copy (the real one, or a defect fixture).</summary>
internal sealed class LogicAppFiles
{
    public required string Root { get; init; }
    public required IReadOnlyDictionary<string, JObject> Workflows { get; init; }
    public required JObject Connections { get; init; }
    public required JObject Parameters { get; init; }
    public required JObject Settings { get; init; }
    public required JObject Topology { get; init; }

    public static LogicAppFiles Load(string root)
    {
        JObject Read(string relative) => JObject.Parse(File.ReadAllText(Path.Combine(root, relative)));
        var workflowsDirectory = Path.Combine(root, "workflows");
        return new LogicAppFiles
        {
            Root = root,
            Workflows = Directory.GetDirectories(workflowsDirectory)
                .Where(d => File.Exists(Path.Combine(d, "workflow.json")))
                .ToDictionary(d => Path.GetFileName(d), d => JObject.Parse(File.ReadAllText(Path.Combine(d, "workflow.json")))),
            Connections = Read("connections.json"),
            Parameters = Read("parameters.json"),
            Settings = (JObject)Read("local.settings.template.json")["Values"]!,
            Topology = Read("deploy/servicebus/Config.json"),
        };
    }

    public static LogicAppFiles Repository() => Load(RepositoryRoot.FullPath);

    /// <summary>The value an <c>@parameters('x')</c> expression has locally: parameters.json → @appsetting → settings template.</summary>
    public string? ResolveLocally(string? expression)
    {
        if (expression is null) return null;
        var parameter = Regex.Match(expression, @"^@parameters\('(?<name>[^']+)'\)$");
        if (!parameter.Success) return expression;
        var value = (string?)Parameters[parameter.Groups["name"].Value]?["value"];
        var setting = value is null ? null : Regex.Match(value, @"^@appsetting\('(?<name>[^']+)'\)$");
        return setting is { Success: true } ? (string?)Settings[setting.Groups["name"].Value] : value;
    }

    public IEnumerable<JObject> TopologySubscriptions() =>
        Topology.SelectTokens("UserConfig.Namespaces[*].Topics[*].Subscriptions[*]").OfType<JObject>();

    public IEnumerable<string> TopologyQueues() =>
        Topology.SelectTokens("UserConfig.Namespaces[*].Queues[*].Name").Select(t => (string)t!);

    public IEnumerable<string> TopologyTopics() =>
        Topology.SelectTokens("UserConfig.Namespaces[*].Topics[*].Name").Select(t => (string)t!);
}

/// <summary>One trigger or action of a workflow, wherever it is nested.</summary>
/// <param name="Siblings">The actions of the same container (what <c>runAfter</c> may name); empty for triggers.</param>
internal sealed record WorkflowOperation(string Workflow, string Name, string Path, JObject Body, IReadOnlyCollection<string> Siblings, bool IsTrigger)
{
    public string Type => (string?)Body["type"] ?? "";

    public JObject? ServiceProviderConfiguration => Body.SelectToken("inputs.serviceProviderConfiguration") as JObject;

    public string? OperationId => (string?)ServiceProviderConfiguration?["operationId"];

    public JObject Parameters => Body.SelectToken("inputs.parameters") as JObject ?? new JObject();

    public bool IsServiceBus => string.Equals((string?)ServiceProviderConfiguration?["serviceProviderId"], "/serviceProviders/serviceBus", StringComparison.OrdinalIgnoreCase);
}

internal static class WorkflowWalker
{
    public static IEnumerable<WorkflowOperation> Operations(string workflowName, JObject workflow)
    {
        var definition = workflow["definition"] as JObject ?? new JObject();
        foreach (var trigger in (definition["triggers"] as JObject ?? new JObject()).Properties())
        {
            if (trigger.Value is JObject body) yield return new WorkflowOperation(workflowName, trigger.Name, "triggers." + trigger.Name, body, [], true);
        }
        foreach (var operation in Actions(workflowName, definition["actions"] as JObject, "actions")) yield return operation;
    }

    public static IEnumerable<WorkflowOperation> Actions(string workflowName, JObject? actions, string path)
    {
        if (actions is null) yield break;
        var siblings = actions.Properties().Select(p => p.Name).ToArray();
        foreach (var property in actions.Properties())
        {
            if (property.Value is not JObject action) continue;
            var here = $"{path}.{property.Name}";
            yield return new WorkflowOperation(workflowName, property.Name, here, action, siblings, false);
            foreach (var (container, containerPath) in Containers(action, here))
            {
                foreach (var nested in Actions(workflowName, container, containerPath)) yield return nested;
            }
        }
    }

    /// <summary>The action sets a Scope, If, Switch, Foreach or Until holds.</summary>
    public static IEnumerable<(JObject Actions, string Path)> Containers(JObject action, string path)
    {
        if (action["actions"] is JObject actions) yield return (actions, path + ".actions");
        if (action.SelectToken("else.actions") is JObject elseActions) yield return (elseActions, path + ".else.actions");
        if (action["cases"] is JObject cases)
        {
            foreach (var @case in cases.Properties())
            {
                if (@case.Value["actions"] is JObject caseActions) yield return (caseActions, $"{path}.cases.{@case.Name}.actions");
            }
        }
        if (action.SelectToken("default.actions") is JObject defaultActions) yield return (defaultActions, path + ".default.actions");
    }

    /// <summary>Every string value inside a token, with its JSON path.</summary>
    public static IEnumerable<(string Path, string Value)> Strings(JToken token) =>
        token.SelectTokens("..*").Prepend(token).OfType<JValue>().Where(v => v.Type == JTokenType.String).Select(v => (v.Path, (string)v!));
}

/// <summary>A throw-away copy of the repository's Logic App files and deploy/ with one defect put in on purpose:
/// proves a check can fail (the one repository copy of these tests).</summary>
internal sealed class DefectFixture : IDisposable
{
    private static readonly string[] CopiedFiles = ["connections.json", "parameters.json", "host.json", "local.settings.template.json", ".funcignore", "OrderIntegration.sln"];
    private static readonly string[] CopiedFolders = ["workflows", "deploy"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "workflows-defect-" + Guid.NewGuid().ToString("N"));

    public DefectFixture()
    {
        foreach (var file in CopiedFiles) File.Copy(Path.Combine(RepositoryRoot.FullPath, file), Path.Combine(Root, file).EnsureParent());
        foreach (var folder in CopiedFolders) WithRepositoryFolder(folder);
    }

    public LogicAppFiles Files => LogicAppFiles.Load(Root);

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Copies one more folder of the repository (e.g. <c>Artifacts</c>) into the fixture, build output left out.</summary>
    public DefectFixture WithRepositoryFolder(string folder)
    {
        var source = Path.Combine(RepositoryRoot.FullPath, folder);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(segment => segment is "obj" or "bin")) continue;
            File.Copy(file, Path.Combine(Root, folder, relative).EnsureParent(), overwrite: true);
        }
        return this;
    }

    /// <summary>Replaces exactly one occurrence of <paramref name="find"/>; a fixture that no longer matches the file is an error.</summary>
    public DefectFixture Replace(string relative, string find, string replacement)
    {
        var text = File.ReadAllText(PathOf(relative));
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"The fixture expects exactly one '{find}' in {relative}.");
        }
        return WriteText(relative, text[..at] + replacement + text[(at + find.Length)..]);
    }

    public DefectFixture EditJson(string relative, Action<JObject> edit)
    {
        var path = Path.Combine(Root, relative);
        var json = JObject.Parse(File.ReadAllText(path));
        edit(json);
        File.WriteAllText(path, json.ToString());
        return this;
    }

    public DefectFixture EditWorkflow(string workflow, Action<JObject> edit) => EditJson($"workflows/{workflow}/workflow.json", edit);

    public DefectFixture WriteText(string relative, string text)
    {
        File.WriteAllText(Path.Combine(Root, relative).EnsureParent(), text);
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

internal static class PathExtensions
{
    public static string EnsureParent(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}

internal static class Problems
{
    public static void AssertNone(IReadOnlyCollection<string> problems) =>
        Assert.AreEqual(0, problems.Count, "\n" + string.Join("\n", problems));

    public static void AssertReported(IReadOnlyCollection<string> problems, string expectedFragment) =>
        Assert.IsTrue(problems.Any(p => p.Contains(expectedFragment, StringComparison.Ordinal)),
            $"Expected a problem mentioning '{expectedFragment}', got:\n" + string.Join("\n", problems));
}

/// <summary>Which custom-code steps make a run idempotent: a function that claims the business message id (it takes
/// a <c>leaseSeconds</c>), or the lake archive, whose create-if-absent file is its own claim.</summary>
internal static class IdempotentSteps
{
    public const string LakeArchive = "ArchiveOrderEvent";

    public static bool Claims(string? functionName) =>
        functionName is not null && OrderEvents.CustomCode.Functions.FunctionCatalog.Find(functionName)?.Parameters.Any(p => p.Name == "leaseSeconds") == true;

    public static IEnumerable<WorkflowOperation> Claiming(string workflow, JObject definition) =>
        WorkflowWalker.Operations(workflow, definition).Where(o => o.Type == "InvokeFunction" && Claims((string?)o.Body.SelectToken("inputs.functionName")));

    public static bool IsIdempotent(string workflow, JObject definition) =>
        WorkflowWalker.Operations(workflow, definition).Any(o => o.Type == "InvokeFunction"
            && ((string?)o.Body.SelectToken("inputs.functionName") is { } f && (Claims(f) || f == LakeArchive)));

    /// <summary>The top-level actions a subscriber runs before its classifier: its work, whose retries the lease must outlast.</summary>
    public static JObject Work(JObject definition)
    {
        var top = definition.SelectToken("definition.actions") as JObject ?? new JObject();
        var work = new JObject();
        foreach (var action in top.Properties())
        {
            if ((string?)action.Value["type"] == "CSharpScriptCode") break;
            work[action.Name] = action.Value.DeepClone();
        }
        return work;
    }
}
