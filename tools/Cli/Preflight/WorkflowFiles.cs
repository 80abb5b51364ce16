using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight;

/// <summary>The JSON files of the app that the checks read: each workflow.json, connections.json, parameters.json, host.json.</summary>
public static class WorkflowFiles
{
    /// <summary>Each workflow's definition by folder name; a workflow.json that does not parse is reported and left out.</summary>
    public static IReadOnlyList<(string Name, JObject Workflow)> Read(AppContent content, ICollection<PreflightProblem> problems)
    {
        var workflows = new List<(string, JObject)>();
        foreach (var name in content.WorkflowNames())
        {
            if (TryRead(content, name + "/workflow.json", problems) is { } workflow) workflows.Add((name, workflow));
        }
        return workflows;
    }

    /// <summary>The JSON object at <paramref name="path"/>, or null (reported) when it is missing or not a JSON object.</summary>
    public static JObject? TryRead(AppContent content, string path, ICollection<PreflightProblem> problems)
    {
        if (!content.Contains(path))
        {
            problems.Add(new PreflightProblem(path, "is missing from the app root.", $"add {path}; Azure loads it from the app root."));
            return null;
        }
        try
        {
            return JToken.Parse(content.ReadText(path)) as JObject
                ?? throw new JsonReaderException("the file holds JSON, but not an object");
        }
        catch (JsonReaderException ex)
        {
            problems.Add(new PreflightProblem(path, $"is not a JSON object ({ex.Message}).", "correct the JSON; the runtime refuses a file it cannot read."));
            return null;
        }
    }

    /// <summary>Every JSON object inside a workflow that is a trigger or action of the given type (case-insensitive, as the runtime matches it).</summary>
    public static IEnumerable<(string Path, JObject Operation)> OperationsOfType(JObject workflow, string type) =>
        workflow.SelectTokens("$..*").OfType<JObject>()
            .Where(o => o["type"] is JValue { Type: JTokenType.String } t && string.Equals((string?)t, type, StringComparison.OrdinalIgnoreCase)
                        && o.Parent is JProperty)
            .Select(o => (((JProperty)o.Parent!).Name, o));

    /// <summary>The workflow's triggers by name.</summary>
    public static IEnumerable<(string Name, JObject Trigger)> Triggers(JObject workflow) =>
        (workflow.SelectToken("definition.triggers") as JObject ?? new JObject()).Properties()
            .Where(p => p.Value is JObject)
            .Select(p => (p.Name, (JObject)p.Value));
}
