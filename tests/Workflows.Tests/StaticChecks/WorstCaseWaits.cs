using System.Xml;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// The longest a run can spend waiting on purpose: retry intervals of the actions that retry, plus Delay actions.
/// Conservative on purpose: every action counts, even ones in branches that exclude each other (an If's two
/// branches, a Switch's cases). Attempt durations are not counted (they depend on the downstream and on host.json
/// timeouts; docs/workflows.md). Per https://learn.microsoft.com/azure/logic-apps/error-exception-handling#retry-policies: fixed = count × interval; exponential = count ×
/// maximumInterval (Standard's default maximum is 1 hour, same page); no policy or "default" = 4 × 45 s.
/// </summary>
internal static class WorstCaseWaits
{
    public static readonly TimeSpan DefaultPolicy = TimeSpan.FromTicks(4 * TimeSpan.FromSeconds(45).Ticks);
    private static readonly TimeSpan StandardMaximumInterval = TimeSpan.FromHours(1);

    /// <summary>Action types with a retry policy (requests to a connector, an API or a function). InvokeFunction,
    /// Compose, If and the like never retry.</summary>
    private static readonly HashSet<string> RetryingTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Http", "HttpWebhook", "ApiConnection", "ApiConnectionWebhook", "ApiManagement", "Function", "ServiceProvider", "Workflow",
    };

    public sealed record Budget(TimeSpan Total, IReadOnlyList<string> Parts, IReadOnlyList<string> Problems)
    {
        public string Explain() => Parts.Count == 0 ? "no waits" : string.Join(" + ", Parts);
    }

    /// <summary>The waits of every action in <paramref name="actions"/> and below.</summary>
    public static Budget Of(string workflow, JObject? actions, string path = "actions")
    {
        var total = TimeSpan.Zero;
        var parts = new List<string>();
        var problems = new List<string>();
        foreach (var action in WorkflowWalker.Actions(workflow, actions, path))
        {
            if (action.Type is "Foreach" or "Until" && WorkflowWalker.Actions(workflow, action.Body["actions"] as JObject, action.Path).Any(a => WaitOf(a, out _) != TimeSpan.Zero))
                problems.Add($"{workflow}: {action.Path} repeats waits in a loop; this check cannot bound them.");
            var wait = WaitOf(action, out var problem);
            if (problem is not null) problems.Add($"{workflow}: {action.Path}: {problem}");
            if (wait == TimeSpan.Zero) continue;
            total += wait;
            parts.Add($"{action.Name} {Seconds(wait)}");
        }
        return new Budget(total, parts, problems);
    }

    /// <summary>The waits of a whole workflow's actions.</summary>
    public static Budget OfWorkflow(string workflow, JObject definition) =>
        Of(workflow, definition.SelectToken("definition.actions") as JObject);

    /// <summary>The LockDuration of the queue or subscription a workflow's Service Bus trigger reads (null if none).</summary>
    public static (string Entity, TimeSpan LockDuration)? TriggerLock(LogicAppFiles files, string workflow)
    {
        var trigger = WorkflowWalker.Operations(workflow, files.Workflows[workflow]).FirstOrDefault(o => o.IsTrigger && o.IsServiceBus);
        if (trigger is null) return null;
        JToken? properties;
        string entity;
        if (trigger.Parameters["queueName"] is { } queue)
        {
            entity = files.ResolveLocally((string?)queue) ?? "";
            properties = files.Topology.SelectTokens("UserConfig.Namespaces[*].Queues[*]").FirstOrDefault(q => (string?)q["Name"] == entity)?["Properties"];
        }
        else
        {
            entity = files.ResolveLocally((string?)trigger.Parameters["subscriptionName"]) ?? "";
            properties = files.TopologySubscriptions().FirstOrDefault(s => (string?)s["Name"] == entity)?["Properties"];
        }
        var text = (string?)properties?["LockDuration"];
        // Service Bus's default LockDuration is one minute (https://learn.microsoft.com/dotnet/api/azure.messaging.servicebus.administration.createqueueoptions.lockduration).
        return (entity, text is null ? TimeSpan.FromMinutes(1) : XmlConvert.ToTimeSpan(text));
    }

    public static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.#} s";

    private static TimeSpan WaitOf(WorkflowOperation action, out string? problem)
    {
        problem = null;
        try
        {
            if (action.Type.Equals("Wait", StringComparison.OrdinalIgnoreCase)) return DelayOf(action.Body["inputs"] as JObject, ref problem);
            if (!RetryingTypes.Contains(action.Type)) return TimeSpan.Zero;
            return RetriesOf(action.Body.SelectToken("inputs.retryPolicy") as JObject, ref problem);
        }
        catch (FormatException ex)
        {
            problem = "a duration is not ISO 8601: " + ex.Message;
            return TimeSpan.Zero;
        }
    }

    private static TimeSpan RetriesOf(JObject? policy, ref string? problem)
    {
        var type = ((string?)policy?["type"])?.ToLowerInvariant() ?? "default";
        if (type == "default") return DefaultPolicy;
        if (type == "none") return TimeSpan.Zero;
        if (policy!["count"]?.Type != JTokenType.Integer)
        {
            problem = "the retry policy's count is not a number, so its waits cannot be bounded.";
            return TimeSpan.Zero;
        }
        var count = (int)policy["count"]!;
        TimeSpan Duration(string name) => XmlConvert.ToTimeSpan((string?)policy[name] ?? throw new FormatException($"'{name}' is missing"));
        return type switch
        {
            "fixed" => count * Duration("interval"),
            "exponential" => count * (policy["maximumInterval"] is null ? StandardMaximumInterval : Duration("maximumInterval")),
            _ => Unknown($"the retry policy type '{type}'", ref problem),
        };
    }

    private static TimeSpan Unknown(string what, ref string? problem)
    {
        problem = $"{what} is unknown, so its wait cannot be bounded.";
        return TimeSpan.Zero;
    }

    private static TimeSpan DelayOf(JObject? inputs, ref string? problem)
    {
        if (inputs?["interval"] is not JObject interval || interval["count"]?.Type != JTokenType.Integer)
        {
            problem = "the Delay has no fixed interval (e.g. 'until' a timestamp), so its wait cannot be bounded.";
            return TimeSpan.Zero;
        }
        var count = (long)interval["count"]!;
        return ((string?)interval["unit"])?.ToLowerInvariant() switch
        {
            "second" => TimeSpan.FromSeconds(count),
            "minute" => TimeSpan.FromMinutes(count),
            "hour" => TimeSpan.FromHours(count),
            "day" => TimeSpan.FromDays(count),
            var unit => Unknown($"the Delay unit '{unit}'", ref problem),
        };
    }
}
