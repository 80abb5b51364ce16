using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure;

namespace Workflows.Tests.Monitoring;

/// <summary>Names the telemetry is keyed on, read from the workflow definitions.</summary>
public sealed record WorkflowCatalog(IReadOnlySet<string> Workflows, IReadOnlySet<string> Actions, IReadOnlySet<string> TrackedProperties)
{
    public static WorkflowCatalog Load()
    {
        var workflows = new HashSet<string>(StringComparer.Ordinal);
        var actions = new HashSet<string>(StringComparer.Ordinal);
        var tracked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.PathOf("workflows"), "workflow.json", SearchOption.AllDirectories))
        {
            workflows.Add(Path.GetFileName(Path.GetDirectoryName(file))!);
            var definition = (JObject)JObject.Parse(File.ReadAllText(file))["definition"]!;
            foreach (var container in definition.Descendants().OfType<JProperty>().Where(p => p.Name is "actions" or "triggers").Select(p => p.Value).OfType<JObject>())
            {
                foreach (var step in container.Properties())
                {
                    actions.Add(step.Name);
                    foreach (var name in (step.Value["trackedProperties"] as JObject ?? []).Properties()) tracked.Add(name.Name);
                }
            }
        }
        return new WorkflowCatalog(workflows, actions, tracked);
    }

    public KqlCheck Checker(JObject schema) => new(schema, TrackedProperties, Workflows, Actions);
}
