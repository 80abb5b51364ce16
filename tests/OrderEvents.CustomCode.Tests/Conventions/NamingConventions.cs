using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace OrderEvents.CustomCode.Tests.Conventions;

/// <summary>A name that breaks a convention of docs/architecture.md "Naming conventions".</summary>
internal sealed record NamingViolation(string File, string Name, string Rule)
{
    public override string ToString() => $"{File}: '{Name}' {Rule}";
}

/// <summary>
/// The naming conventions as checks over a repository folder. Each check reads only what exists: a file or folder
/// another part of the team has not written yet is skipped, never failed.
/// </summary>
internal static partial class NamingConventions
{
    [GeneratedRegex("^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*$")] private static partial Regex PascalCase();
    [GeneratedRegex("^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)*$")] private static partial Regex CamelCase();
    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")] private static partial Regex KebabCase();
    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*\.v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.schema\.json$")] private static partial Regex SchemaFileName();
    [GeneratedRegex(@"appsetting\('([^']*)'\)")] private static partial Regex AppSettingReference();
    [GeneratedRegex(@"^\[TestClass\]\s*(?:\r?\n)?(?:public |internal )?(?:sealed |abstract |static )*(?:partial )?class (\w+)", RegexOptions.Multiline)] private static partial Regex TopLevelTestClass();
    [GeneratedRegex(@"^\s*\[TestClass\]", RegexOptions.Multiline)] private static partial Regex AnyTestClass();
    [GeneratedRegex("^(?:When_[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|[A-Z][A-Za-z0-9]*_Specs)$")] private static partial Regex TestClassName();

    [GeneratedRegex("^(?:(?:WORKFLOWS|WEBSITE|FUNCTIONS|APPLICATIONINSIGHTS|APPINSIGHTS)_[A-Z0-9_]+|APP_KIND|AzureWebJobs[A-Za-z0-9_]*)$")] private static partial Regex PlatformSetting();

    public const string DeadLetterWorkflowSuffix = "DeadLetters";
    public const string DeadLetterQueuePrefix = "deadletters-";

    public static IReadOnlyList<NamingViolation> Check(string root)
    {
        var violations = new List<NamingViolation>();
        var connectionKeys = ConnectionKeys(root, violations);
        CheckWorkflowFolders(root, violations);
        CheckServiceBusTopology(root, violations);
        CheckSchemaFiles(root, violations);
        CheckParameters(root, violations);
        CheckAppSettings(root, connectionKeys, violations);
        CheckTestClasses(root, violations);
        CheckSolutionFolders(root, violations);
        return violations;
    }

    public const string SolutionFile = "OrderIntegration.sln";

    /// <summary>The solution's virtual folders mirror the real ones: the folders a project is nested in, read from the
    /// top, are the leading folders of its path (what <c>dotnet sln add</c> writes), so a renamed folder cannot leave a
    /// stale name behind in the IDE's tree.</summary>
    private static void CheckSolutionFolders(string root, List<NamingViolation> violations)
    {
        var path = Path.Combine(root, SolutionFile);
        if (!File.Exists(path)) return;
        var text = File.ReadAllText(path);
        var entries = SolutionEntry().Matches(text).ToDictionary(
            m => m.Groups["id"].Value, m => (Name: m.Groups["name"].Value, Path: m.Groups["path"].Value.Replace('\\', '/')), StringComparer.OrdinalIgnoreCase);
        var parents = SolutionNesting().Matches(text).ToDictionary(m => m.Groups["child"].Value, m => m.Groups["parent"].Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, entry) in entries.Where(e => e.Value.Path.EndsWith("proj", StringComparison.Ordinal)))
        {
            var folders = new List<string>();
            for (var at = id; parents.TryGetValue(at, out var parent) && entries.TryGetValue(parent, out var folder); at = parent) folders.Insert(0, folder.Name);
            var directories = entry.Path.Split('/')[..^1];
            if (folders.Count > directories.Length || !folders.SequenceEqual(directories.Take(folders.Count), StringComparer.Ordinal))
                violations.Add(new(SolutionFile, entry.Path, $"sits in the solution folder '{string.Join('/', folders)}', which is not a leading part of its path"));
        }
    }

    [GeneratedRegex("""^Project\("\{[0-9A-Fa-f-]+\}"\) = "(?<name>[^"]+)", "(?<path>[^"]+)", "\{(?<id>[0-9A-Fa-f-]+)\}"\r?$""", RegexOptions.Multiline)]
    private static partial Regex SolutionEntry();

    [GeneratedRegex(@"^\s*\{(?<child>[0-9A-Fa-f-]+)\} = \{(?<parent>[0-9A-Fa-f-]+)\}\s*$", RegexOptions.Multiline)]
    private static partial Regex SolutionNesting();

    /// <summary>Two test naming styles: <c>When_&lt;situation&gt;_&lt;outcome&gt;</c> for a behaviour (one per file) and
    /// <c>&lt;Unit&gt;_Specs</c> for a unit; the file is named after its class. Nested test classes (a spec's variants,
    /// e.g. <c>ObjectStore_Specs.OnAzurite</c>) take their outer class's name.</summary>
    private static void CheckTestClasses(string root, List<NamingViolation> violations)
    {
        var tests = Path.Combine(root, "tests");
        if (!Directory.Exists(tests)) return;
        foreach (var file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            if (!AnyTestClass().IsMatch(text)) continue;
            var fileName = Path.GetFileNameWithoutExtension(file);
            if (!TestClassName().IsMatch(fileName))
                violations.Add(new(relative, fileName, "is not a test name of the two styles: When_<situation>_<outcome> (a behaviour) or <Unit>_Specs (a unit)"));
            foreach (Match match in TopLevelTestClass().Matches(text))
            {
                var name = match.Groups[1].Value;
                if (name != fileName)
                    violations.Add(new(relative, name, "is a test class in a file of another name: one test class per file, named like it"));
            }
        }
    }

    private static void CheckWorkflowFolders(string root, List<NamingViolation> violations)
    {
        var workflows = Path.Combine(root, "workflows");
        if (!Directory.Exists(workflows)) return;
        foreach (var folder in Directory.GetDirectories(workflows).Where(d => File.Exists(Path.Combine(d, "workflow.json"))))
        {
            var name = Path.GetFileName(folder);
            if (!PascalCase().IsMatch(name))
                violations.Add(new("workflows/", name, "is not a PascalCase workflow name (letters and digits, each word capitalised: SapFulfillment)"));
            else if (name.Contains(DeadLetterWorkflowSuffix, StringComparison.Ordinal) && !name.EndsWith(DeadLetterWorkflowSuffix, StringComparison.Ordinal))
                violations.Add(new("workflows/", name, $"dead-letter workflows are named <Subscriber>{DeadLetterWorkflowSuffix}"));
        }
    }

    private static IReadOnlySet<string>? ConnectionKeys(string root, List<NamingViolation> violations)
    {
        var connections = ReadJson(root, "connections.json", violations);
        if (connections is null) return null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "serviceProviderConnections", "managedApiConnections", "functionConnections", "agentConnections" })
        {
            if (connections[section] is not JObject entries) continue;
            foreach (var entry in entries.Properties())
            {
                keys.Add(entry.Name);
                var provider = (string?)entry.Value["serviceProvider"]?["id"];
                if (!CamelCase().IsMatch(entry.Name))
                    violations.Add(new("connections.json", entry.Name, "is not a camelCase connection key (serviceBusPublisher, sap, twilio)"));
                else if (string.Equals(provider, "/serviceProviders/serviceBus", StringComparison.OrdinalIgnoreCase)
                    && !(entry.Name.StartsWith("serviceBus", StringComparison.Ordinal) && entry.Name.Length > "serviceBus".Length && char.IsUpper(entry.Name["serviceBus".Length])))
                    violations.Add(new("connections.json", entry.Name, "is a Service Bus connection: name it serviceBus<Role> (serviceBusPublisher, serviceBusSapFulfillment)"));
            }
        }
        return keys;
    }

    private static void CheckServiceBusTopology(string root, List<NamingViolation> violations)
    {
        const string file = "deploy/servicebus/Config.json";
        var config = ReadJson(root, file, violations);
        if (config?["UserConfig"]?["Namespaces"] is not JArray namespaces) return;
        foreach (var ns in namespaces)
        {
            var subscriptions = new HashSet<string>(StringComparer.Ordinal);
            foreach (var topic in ns["Topics"] as JArray ?? new JArray())
            {
                Kebab(file, (string?)topic["Name"], "topic", violations);
                foreach (var subscription in topic["Subscriptions"] as JArray ?? new JArray())
                {
                    var name = (string?)subscription["Name"];
                    Kebab(file, name, "subscription", violations);
                    if (name is not null) subscriptions.Add(name);
                    foreach (var rule in subscription["Rules"] as JArray ?? new JArray())
                    {
                        var ruleName = (string?)rule["Name"];
                        if (ruleName != "$Default") Kebab(file, ruleName, "rule", violations);
                    }
                }
            }
            foreach (var queue in ns["Queues"] as JArray ?? new JArray())
            {
                var name = (string?)queue["Name"];
                Kebab(file, name, "queue", violations);
                if (name?.StartsWith(DeadLetterQueuePrefix, StringComparison.Ordinal) == true && !subscriptions.Contains(name[DeadLetterQueuePrefix.Length..]))
                    violations.Add(new(file, name, $"a dead-letter queue is named {DeadLetterQueuePrefix}<subscription> after a subscription of the same file"));
            }
        }
    }

    private static void CheckSchemaFiles(string root, List<NamingViolation> violations)
    {
        var schemas = Path.Combine(root, "Artifacts", "Schemas");
        if (!Directory.Exists(schemas)) return;
        foreach (var file in Directory.GetFiles(schemas).Select(Path.GetFileName))
        {
            if (file != "registry.json" && !SchemaFileName().IsMatch(file!))
                violations.Add(new("Artifacts/Schemas/", file!, "is not <EventType>.v<major>.<minor>.schema.json (or registry.json)"));
        }
    }

    private static void CheckParameters(string root, List<NamingViolation> violations)
    {
        if (ReadJson(root, "parameters.json", violations) is not JObject parameters) return;
        foreach (var parameter in parameters.Properties().Where(p => !CamelCase().IsMatch(p.Name)))
            violations.Add(new("parameters.json", parameter.Name, "is not a camelCase parameter name (ordersTopicName)"));
    }

    /// <summary>Every <c>appsetting('X')</c> in workflows, connections.json and parameters.json: connection-scoped
    /// <c>&lt;connectionKey&gt;_&lt;parameterName&gt;</c>, area-scoped <c>&lt;Area&gt;_&lt;Name&gt;</c>, or a platform setting.</summary>
    private static void CheckAppSettings(string root, IReadOnlySet<string>? connectionKeys, List<NamingViolation> violations)
    {
        var files = new[] { "connections.json", "parameters.json" }.Select(f => Path.Combine(root, f)).Where(File.Exists).ToList();
        var workflows = Path.Combine(root, "workflows");
        if (Directory.Exists(workflows)) files.AddRange(Directory.GetFiles(workflows, "*.json", SearchOption.AllDirectories));
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            foreach (Match match in AppSettingReference().Matches(File.ReadAllText(file)))
            {
                var name = match.Groups[1].Value;
                if (PlatformSetting().IsMatch(name)) continue;
                var underscore = name.IndexOf('_');
                var (scope, setting) = underscore > 0 ? (name[..underscore], name[(underscore + 1)..]) : (name, "");
                if (CamelCase().IsMatch(scope) && CamelCase().IsMatch(setting))
                {
                    if (connectionKeys is not null && !connectionKeys.Contains(scope))
                        violations.Add(new(relative, name, $"is connection-scoped, but connections.json has no connection '{scope}'"));
                }
                else if (!(PascalCase().IsMatch(scope) && PascalCase().IsMatch(setting)))
                {
                    violations.Add(new(relative, name, "is not <connectionKey>_<parameterName> (serviceBusPublisher_fullyQualifiedNamespace), <Area>_<Name> (Orders_TopicName) or a platform setting"));
                }
            }
        }
    }

    private static void Kebab(string file, string? name, string kind, List<NamingViolation> violations)
    {
        if (name is null || !KebabCase().IsMatch(name))
            violations.Add(new(file, name ?? "(missing)", $"is not a kebab-case {kind} name (lower-case words joined by '-')"));
    }

    private static JObject? ReadJson(string root, string relativePath, List<NamingViolation> violations)
    {
        var path = Path.Combine(root, relativePath);
        if (!File.Exists(path)) return null;
        try
        {
            return JObject.Parse(File.ReadAllText(path));
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            violations.Add(new(relativePath, "(file)", $"cannot be read as a JSON object: {ex.Message}"));
            return null;
        }
    }
}
