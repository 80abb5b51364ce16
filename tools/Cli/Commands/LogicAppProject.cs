using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TestSupport;

namespace Cli.Commands;

/// <summary>
/// The repository seen as a Logic App: what the runtime expects at the app root (host.json, connections.json,
/// parameters.json, Artifacts, lib, one folder per workflow) and where this repository keeps it (workflows live
/// under <c>workflows/</c>). The designer and package verbs both derive the app root from this one description.
/// </summary>
public sealed class LogicAppProject
{
    /// <summary>Files that sit at the app root, next to the workflow folders.</summary>
    public static readonly IReadOnlyList<string> AppRootFiles = ["host.json", "connections.json", "parameters.json"];

    /// <summary>Folders that sit at the app root when the repository has them.</summary>
    public static readonly IReadOnlyList<string> AppRootFolders = ["Artifacts", "lib"];

    public const string WorkflowsFolder = "workflows";
    public const string SettingsTemplateFile = "local.settings.template.json";
    public const string TopologyFile = "deploy/servicebus/Config.json";
    public const string FuncIgnoreFile = ".funcignore";

    public string Root { get; }

    private LogicAppProject(string root) => Root = root;

    /// <summary>The repository that contains <paramref name="start"/> (or, without it, the current directory or this
    /// tool): the nearest folder upwards holding <c>OrderIntegration.sln</c>, found by <see cref="RepositoryRoot"/>.</summary>
    public static LogicAppProject Locate(string? start = null)
    {
        var named = start is null ? null : Path.GetFullPath(start);
        string root;
        try
        {
            root = RepositoryRoot.Find(named);
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliUsageException($"No repository (a folder with {RepositoryRoot.MarkerFile}) contains '{named ?? Directory.GetCurrentDirectory()}'; pass --repo.");
        }
        // RepositoryRoot.Find falls back to the current directory and the tool's folder; a folder the caller named must itself be in the repository.
        if (named is not null && !IsWithin(root, named))
        {
            throw new CliUsageException($"No repository (a folder with {RepositoryRoot.MarkerFile}) contains '{named}'; pass --repo.");
        }
        return new LogicAppProject(root);
    }

    private static bool IsWithin(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    public static LogicAppProject FromArgs(CliArgs args) => Locate(args.Get("repo"));

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string WorkflowsDirectory => PathOf(WorkflowsFolder);

    /// <summary>Every folder under <c>workflows/</c> that holds a <c>workflow.json</c>, by name.</summary>
    public IReadOnlyList<string> WorkflowNames() =>
        Directory.Exists(WorkflowsDirectory)
            ? Directory.GetDirectories(WorkflowsDirectory)
                .Where(d => File.Exists(Path.Combine(d, "workflow.json")))
                .Select(Path.GetFileName)
                .OfType<string>()
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToArray()
            : [];

    public FuncIgnore ReadFuncIgnore() =>
        FuncIgnore.Parse(File.Exists(PathOf(FuncIgnoreFile)) ? File.ReadAllLines(PathOf(FuncIgnoreFile)) : []);

    /// <summary>Writes JSON the way every generated file in this repository is written: two-space indent, LF, final newline.</summary>
    public static string FormatJson(JToken token)
    {
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder) { NewLine = "\n" })
        using (var json = new JsonTextWriter(writer) { Formatting = Formatting.Indented, Indentation = 2 })
        {
            token.WriteTo(json);
        }
        return builder.Append('\n').ToString();
    }
}

/// <summary>
/// The subset of <c>.funcignore</c> (gitignore syntax) that the packaging needs: one pattern a line, <c>#</c>
/// comments, <c>*</c>, <c>**</c> and <c>?</c> wildcards, a trailing <c>/</c>. A pattern without <c>/</c> matches any
/// path segment; one with <c>/</c> matches from the app root. Negations (<c>!</c>) are not supported and rejected.
/// </summary>
public sealed class FuncIgnore
{
    private readonly IReadOnlyList<(string Pattern, Regex Regex, bool Anchored)> rules;

    private FuncIgnore(IReadOnlyList<(string, Regex, bool)> rules) => this.rules = rules;

    public static FuncIgnore Parse(IEnumerable<string> lines)
    {
        var rules = new List<(string, Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('!')) throw new CliUsageException($".funcignore: negated pattern '{line}' is not supported by the packager.");
            var pattern = line.TrimEnd('/');
            var anchored = pattern.Contains('/');
            rules.Add((line, new Regex("^" + GlobToRegex(pattern.TrimStart('/')) + "$", RegexOptions.CultureInvariant), anchored));
        }
        return new FuncIgnore(rules);
    }

    /// <summary>True when the app-root-relative path (forward slashes) or one of its parent folders is ignored.</summary>
    public bool IsIgnored(string relativePath) => MatchingPattern(relativePath) is not null;

    public string? MatchingPattern(string relativePath)
    {
        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (pattern, regex, anchored) in rules)
        {
            for (var i = 0; i < segments.Length; i++)
            {
                var candidate = anchored ? string.Join('/', segments.Take(i + 1)) : segments[i];
                if (regex.IsMatch(candidate)) return pattern;
            }
        }
        return null;
    }

    private static string GlobToRegex(string glob)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*') { builder.Append(".*"); i++; }
            else if (c == '*') builder.Append("[^/]*");
            else if (c == '?') builder.Append("[^/]");
            else builder.Append(Regex.Escape(c.ToString()));
        }
        return builder.ToString();
    }
}

/// <param name="Name">Workflow folder name, e.g. <c>SapFulfillmentDeadLetters</c>.</param>
/// <param name="Subscriber">Subscription (= consumer id), e.g. <c>sap-fulfillment</c>.</param>
/// <param name="QueueName">The subscription's <c>ForwardDeadLetteredMessagesTo</c> queue in the topology.</param>
/// <param name="QueueParameter">The parameters.json entry the workflow reads the queue name from.</param>
public sealed record GeneratedWorkflow(string Name, string Subscriber, string QueueName, string QueueParameter, string Json);

/// <summary>
/// The dead-letter alert workflows: one per per-subscriber dead-letter queue, all produced from ONE template
/// (<see cref="TemplateFile"/>) for the subscriptions of the topology that forward their dead letters. The
/// generated <c>workflows/&lt;Subscriber&gt;DeadLetters/workflow.json</c> files are committed (the runtime, func
/// and the designer read plain workflow folders); a static check keeps them equal to this generator's output.
/// </summary>
public static class DeadLetterAlertWorkflows
{
    public const string TemplateFile = "deploy/workflow-templates/DeadLetterAlert.template.json";
    private static readonly Regex Placeholder = new(@"\{\{(?<name>[A-Za-z]+)\}\}", RegexOptions.CultureInvariant);
    private static readonly Regex NumericPlaceholder = new(@"""\{\{(?<name>[A-Za-z]+)\}\}""", RegexOptions.CultureInvariant);

    public static IReadOnlyList<GeneratedWorkflow> Generate(LogicAppProject project)
    {
        var template = File.ReadAllText(project.PathOf(TemplateFile));
        var topology = JObject.Parse(File.ReadAllText(project.PathOf(LogicAppProject.TopologyFile)));
        var subscriptions = topology.SelectTokens("UserConfig.Namespaces[*].Topics[*].Subscriptions[*]").OfType<JObject>();
        var generated = new List<GeneratedWorkflow>();
        foreach (var subscription in subscriptions)
        {
            var subscriber = (string?)subscription["Name"] ?? "";
            var queue = (string?)subscription.SelectToken("Properties.ForwardDeadLetteredMessagesTo");
            if (string.IsNullOrEmpty(queue)) continue;
            var pascal = string.Concat(subscriber.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            var parameter = char.ToLowerInvariant(pascal[0]) + pascal[1..] + "DeadLetterQueueName";
            var queueProperties = topology.SelectTokens("UserConfig.Namespaces[*].Queues[*]").OfType<JObject>()
                .FirstOrDefault(q => (string?)q["Name"] == queue)?["Properties"] as JObject
                ?? throw new InvalidOperationException($"{LogicAppProject.TopologyFile}: subscription '{subscriber}' forwards its dead letters to '{queue}', which is no queue of the topology.");
            var values = new Dictionary<string, string>
            {
                ["subscriber"] = subscriber,
                ["deadLetterQueueParameter"] = parameter,
                // The alert claim's lease: the dead letter's lock and two minutes, which cover the run's worst-case waits
                // (When_a_subscriber_claims_a_message_the_lease_outlasts_the_lock_and_the_retries holds it to that).
                ["deadLetterLeaseSeconds"] = ((int)System.Xml.XmlConvert.ToTimeSpan((string?)queueProperties["LockDuration"] ?? "PT1M").TotalSeconds + 120).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["deadLetterMaxDeliveryCount"] = ((int?)queueProperties["MaxDeliveryCount"] ?? 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            // A JSON string that is only a numeric placeholder becomes the number itself (the template stays valid JSON).
            var typed = NumericPlaceholder.Replace(template, m => values.TryGetValue(m.Groups["name"].Value, out var v) && long.TryParse(v, out _) ? v : m.Value);
            var text = Placeholder.Replace(typed, m => values.TryGetValue(m.Groups["name"].Value, out var v)
                ? v
                : throw new InvalidOperationException($"{TemplateFile}: unknown placeholder '{m.Value}' (known: {string.Join(", ", values.Keys)})."));
            generated.Add(new GeneratedWorkflow(pascal + "DeadLetters", subscriber, queue, parameter, LogicAppProject.FormatJson(JToken.Parse(text))));
        }
        return generated;
    }

    /// <summary>Names of generated workflows whose committed file is missing or differs from the generator's output.</summary>
    public static IReadOnlyList<string> FindStale(LogicAppProject project) =>
        Generate(project).Where(w => !IsCurrent(project, w)).Select(w => w.Name).ToArray();

    /// <summary>Writes the generated workflows that changed; returns their names.</summary>
    public static IReadOnlyList<string> WriteAll(LogicAppProject project)
    {
        var written = new List<string>();
        foreach (var workflow in Generate(project).Where(w => !IsCurrent(project, w)))
        {
            var folder = Path.Combine(project.WorkflowsDirectory, workflow.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "workflow.json"), workflow.Json);
            written.Add(workflow.Name);
        }
        return written;
    }

    private static bool IsCurrent(LogicAppProject project, GeneratedWorkflow workflow)
    {
        var path = Path.Combine(project.WorkflowsDirectory, workflow.Name, "workflow.json");
        return File.Exists(path) && File.ReadAllText(path).ReplaceLineEndings("\n") == workflow.Json;
    }
}

/// <summary>One generated <c>classify_outcome.csx</c>: the common template with a subscriber's own rules.</summary>
public sealed record GeneratedScript(string Workflow, string PrepareAction, string Text);

/// <summary>
/// The subscribers' <c>classify_outcome.csx</c> scripts: the common part (reading the first step's gates, the helpers)
/// is ONE template (<see cref="TemplateFile"/>); each subscriber's own rules are <see cref="RulesFolder"/>/&lt;Workflow&gt;.csx.
/// The generated <c>workflows/&lt;Workflow&gt;/classify_outcome.csx</c> files are committed (the runtime and the designer
/// read plain workflow folders); a static check keeps them equal to this generator's output, like the dead-letter workflows.
/// </summary>
public static class ClassifyOutcomeScripts
{
    public const string TemplateFile = "deploy/workflow-templates/ClassifyOutcome.template.csx";
    public const string RulesFolder = "deploy/workflow-templates/classify-outcome";
    public const string ScriptName = "classify_outcome.csx";
    private static readonly Regex Placeholder = new(@"\{\{(?<name>[A-Za-z]+)\}\}", RegexOptions.CultureInvariant);

    public static IReadOnlyList<GeneratedScript> Generate(LogicAppProject project)
    {
        var template = File.ReadAllText(project.PathOf(TemplateFile)).ReplaceLineEndings("\n");
        var generated = new List<GeneratedScript>();
        foreach (var rules in Directory.EnumerateFiles(project.PathOf(RulesFolder), "*.csx").Order(StringComparer.Ordinal))
        {
            var workflow = Path.GetFileNameWithoutExtension(rules);
            var definition = JObject.Parse(File.ReadAllText(Path.Combine(project.WorkflowsDirectory, workflow, "workflow.json")));
            var prepare = FirstStep(definition)
                ?? throw new InvalidOperationException($"workflows/{workflow}/workflow.json: no first InvokeFunction action (runAfter {{}}) for {RulesFolder}/{workflow}.csx to classify.");
            var values = new Dictionary<string, string>
            {
                ["workflow"] = workflow,
                ["prepareAction"] = prepare,
                ["subscriberRules"] = File.ReadAllText(rules).ReplaceLineEndings("\n").TrimEnd() + "\n",
            };
            var text = Placeholder.Replace(template, m => values.TryGetValue(m.Groups["name"].Value, out var v)
                ? v
                : throw new InvalidOperationException($"{TemplateFile}: unknown placeholder '{m.Value}' (known: {string.Join(", ", values.Keys)})."));
            generated.Add(new GeneratedScript(workflow, prepare, text));
        }
        return generated;
    }

    /// <summary>The top-level InvokeFunction that starts the workflow: the step whose gates the template classifies.</summary>
    public static string? FirstStep(JObject workflow) =>
        (workflow.SelectToken("definition.actions") as JObject)?.Properties()
            .FirstOrDefault(p => (string?)p.Value["type"] == "InvokeFunction" && p.Value["runAfter"] is JObject { Count: 0 })?.Name;

    /// <summary>Workflows whose committed script is missing or differs from the generator's output.</summary>
    public static IReadOnlyList<string> FindStale(LogicAppProject project) =>
        Generate(project).Where(s => !IsCurrent(project, s)).Select(s => s.Workflow).ToArray();

    public static IReadOnlyList<string> WriteAll(LogicAppProject project)
    {
        var written = new List<string>();
        foreach (var script in Generate(project).Where(s => !IsCurrent(project, s)))
        {
            File.WriteAllText(Path.Combine(project.WorkflowsDirectory, script.Workflow, ScriptName), script.Text);
            written.Add(script.Workflow);
        }
        return written;
    }

    private static bool IsCurrent(LogicAppProject project, GeneratedScript script)
    {
        var path = Path.Combine(project.WorkflowsDirectory, script.Workflow, ScriptName);
        return File.Exists(path) && File.ReadAllText(path).ReplaceLineEndings("\n") == script.Text;
    }
}
