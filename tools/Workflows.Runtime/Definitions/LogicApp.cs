using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Definitions;

/// <summary>An in-memory workflow to load without files (tests), optionally with a folder for its .csx files.</summary>
public sealed record WorkflowSource(string Name, JObject WorkflowJson, string? Folder = null);

/// <summary>
/// A Logic App project loaded the way the Standard host loads it: every <c>workflow.json</c>,
/// <c>connections.json</c>, <c>parameters.json</c> (values may use <c>@appsetting('X')</c>) and the app settings.
/// Loading validates everything and throws <see cref="LogicAppLoadException"/> listing every problem.
/// </summary>
public sealed class LogicApp
{
    private LogicApp(string? root, string name, IReadOnlyDictionary<string, string> appSettings)
    {
        RootPath = root;
        Name = name;
        AppSettings = appSettings;
    }

    /// <summary>The project folder (null for in-memory apps).</summary>
    public string? RootPath { get; }

    /// <summary>The app's name (<c>WEBSITE_SITE_NAME</c> or the folder name).</summary>
    public string Name { get; }

    public IReadOnlyDictionary<string, WorkflowDefinition> Workflows => workflows;

    /// <summary><c>parameters.json</c>, values resolved (name → value).</summary>
    public IReadOnlyDictionary<string, JToken> Parameters => parameters;

    public IReadOnlyDictionary<string, string> AppSettings { get; }

    /// <summary><c>serviceProviderConnections</c>, <c>@appsetting</c>/<c>@parameters</c> resolved.</summary>
    public IReadOnlyDictionary<string, JObject> ServiceProviderConnections => serviceProviderConnections;

    /// <summary><c>managedApiConnections</c>, <c>@appsetting</c>/<c>@parameters</c> resolved.</summary>
    public IReadOnlyDictionary<string, JObject> ManagedApiConnections => managedApiConnections;

    private readonly Dictionary<string, WorkflowDefinition> workflows = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JToken> parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JObject> serviceProviderConnections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JObject> managedApiConnections = new(StringComparer.Ordinal);

    /// <summary>Connections whose expressions could not be resolved: the error is raised when an action uses one.</summary>
    internal Dictionary<string, string> ConnectionErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Loads the project at <paramref name="rootPath"/>. Workflows are read from <c>workflows/&lt;name&gt;/workflow.json</c>
    /// and from Microsoft's flat layout <c>&lt;root&gt;/&lt;name&gt;/workflow.json</c>. Without
    /// <paramref name="appSettings"/>, the <c>Values</c> of <c>local.settings.json</c> (if present) are used.
    /// </summary>
    public static LogicApp Load(string rootPath, IReadOnlyDictionary<string, string>? appSettings = null)
    {
        var root = Path.GetFullPath(rootPath);
        if (!Directory.Exists(root)) throw new LogicAppLoadException([$"the folder '{root}' does not exist."]);
        var errors = new List<string>();
        appSettings ??= LocalSettings.LoadValues(Path.Combine(root, "local.settings.json"));
        var settings = new Dictionary<string, string>(appSettings, StringComparer.OrdinalIgnoreCase);
        var name = settings.TryGetValue("WEBSITE_SITE_NAME", out var siteName) ? siteName : new DirectoryInfo(root).Name;

        var sources = new List<WorkflowSource>();
        foreach (var folder in WorkflowFolders(root))
        {
            var file = Path.Combine(folder, "workflow.json");
            var json = ReadJsonFile(file, errors);
            if (json is not null) sources.Add(new WorkflowSource(Path.GetFileName(folder), json, folder));
        }
        if (sources.Count == 0 && errors.Count == 0)
            errors.Add($"no workflow found: expected '{Path.Combine(root, "workflows", "<name>", "workflow.json")}' or '{Path.Combine(root, "<name>", "workflow.json")}'.");

        var connectionsFile = Path.Combine(root, "connections.json");
        var parametersFile = Path.Combine(root, "parameters.json");
        var connections = File.Exists(connectionsFile) ? ReadJsonFile(connectionsFile, errors) : null;
        var parameterValues = File.Exists(parametersFile) ? ReadJsonFile(parametersFile, errors) : null;
        return Build(root, name, sources, connections, parameterValues, settings, errors);
    }

    /// <summary>Builds a Logic App from in-memory definitions (same validation as <see cref="Load"/>).</summary>
    public static LogicApp Create(
        IEnumerable<WorkflowSource> workflows,
        JObject? connections = null,
        JObject? parameters = null,
        IReadOnlyDictionary<string, string>? appSettings = null,
        string name = "local-logic-app")
    {
        var settings = new Dictionary<string, string>(appSettings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        return Build(null, name, workflows.ToList(), connections, parameters, settings, []);
    }

    private static LogicApp Build(
        string? root,
        string name,
        List<WorkflowSource> sources,
        JObject? connections,
        JObject? parameterValues,
        Dictionary<string, string> settings,
        List<string> errors)
    {
        var app = new LogicApp(root, name, settings);
        app.ReadParameters(parameterValues, errors);
        app.ReadConnections(connections, errors);
        foreach (var source in sources)
        {
            if (app.workflows.ContainsKey(source.Name))
            {
                errors.Add($"workflow '{source.Name}' is defined twice (under workflows/ and at the app root?).");
                continue;
            }
            var definition = DefinitionReader.Read(source.Name, source.WorkflowJson, source.Folder, errors);
            if (definition is null) continue;
            app.CheckConnectionReferences(definition, errors);
            app.workflows[source.Name] = definition;
        }
        if (errors.Count > 0) throw new LogicAppLoadException(errors);
        return app;
    }

    /// <summary>Like saving in the designer: every connection a workflow names must exist in connections.json.</summary>
    private void CheckConnectionReferences(WorkflowDefinition definition, List<string> errors)
    {
        var jsons = definition.AllActions.Values.Select(a => (Where: $"action '{a.Name}'", a.Kind, a.Json)).ToList();
        if (definition.Trigger.Kind == TriggerKind.ServiceProvider)
            jsons.Add(($"trigger '{definition.Trigger.Name}'", ActionKind.ServiceProvider, definition.Trigger.Json));
        foreach (var (where, kind, json) in jsons)
        {
            if (kind == ActionKind.ServiceProvider && json.SelectToken("inputs.serviceProviderConfiguration") is JObject configuration)
            {
                var name = configuration.Value<string>("connectionName") ?? "";
                var providerId = configuration.Value<string>("serviceProviderId") ?? "";
                if (!serviceProviderConnections.TryGetValue(name, out var connection))
                    errors.Add($"workflow '{definition.Name}': {where} uses the connection '{name}', which is not in connections.json 'serviceProviderConnections'.");
                else if (connection.SelectToken("serviceProvider.id")?.ToString() is { } connectionProvider
                         && !connectionProvider.Equals(providerId, StringComparison.OrdinalIgnoreCase))
                    errors.Add($"workflow '{definition.Name}': {where} calls '{providerId}' through the connection '{name}', which is for '{connectionProvider}'.");
            }
            else if (kind == ActionKind.ApiConnection && json.SelectToken("inputs.host.connection.referenceName")?.ToString() is { } reference
                     && !managedApiConnections.ContainsKey(reference))
            {
                errors.Add($"workflow '{definition.Name}': {where} uses the connection '{reference}', which is not in connections.json 'managedApiConnections'.");
            }
        }
        if (definition.HasResponseAction && definition.Trigger.SplitOn is not null)
            errors.Add($"workflow '{definition.Name}': a Response action can't be used when the trigger debatches with splitOn.");
    }

    public WorkflowDefinition GetWorkflow(string name) =>
        workflows.TryGetValue(name, out var workflow)
            ? workflow
            : throw new KeyNotFoundException($"The Logic App has no workflow named '{name}'. Workflows: {string.Join(", ", workflows.Keys)}.");

    private static IEnumerable<string> WorkflowFolders(string root)
    {
        var nested = Path.Combine(root, "workflows");
        var candidates = Directory.Exists(nested) ? Directory.EnumerateDirectories(nested) : [];
        return candidates
            .Concat(Directory.EnumerateDirectories(root))
            .Where(folder => File.Exists(Path.Combine(folder, "workflow.json")))
            .OrderBy(folder => folder, StringComparer.Ordinal);
    }

    private static JObject? ReadJsonFile(string file, List<string> errors)
    {
        try
        {
            using var reader = new JsonTextReader(new StreamReader(file)) { DateParseHandling = DateParseHandling.None };
            if (JToken.ReadFrom(reader) is JObject obj) return obj;
            errors.Add($"{file}: the file must hold a JSON object.");
        }
        catch (JsonException ex)
        {
            errors.Add($"{file}: not valid JSON: {ex.Message}");
        }
        catch (IOException ex)
        {
            errors.Add($"{file}: cannot be read: {ex.Message}");
        }
        return null;
    }

    private void ReadParameters(JObject? file, List<string> errors)
    {
        if (file is null) return;
        var scope = new ConfigurationScope(AppSettings, null);
        foreach (var property in file.Properties())
        {
            if (property.Value is not JObject entry || !entry.TryGetValue("value", out var value))
            {
                errors.Add($"parameters.json: '{property.Name}' must be an object with 'type' and 'value'.");
                continue;
            }
            try
            {
                var resolved = WdlTemplate.Evaluate(value, scope);
                parameters[property.Name] = ConvertToDeclaredType(resolved, entry.Value<string>("type"), property.Name);
            }
            catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException or FormatException)
            {
                errors.Add($"parameters.json: '{property.Name}' cannot be resolved: {ex.Message}");
            }
        }
    }

    /// <summary>App settings are strings; a parameter declared int/bool/object/array gets the typed value.</summary>
    private static JToken ConvertToDeclaredType(JToken value, string? type, string name)
    {
        if (value.Type != JTokenType.String || type is null) return value;
        var text = (string)value!;
        switch (type.ToLowerInvariant())
        {
            case "int":
                return long.TryParse(text, out var integer) ? integer : throw new FormatException($"'{text}' is not an int.");
            case "float":
                return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
                    ? number : throw new FormatException($"'{text}' is not a float.");
            case "bool":
                return bool.TryParse(text, out var flag) ? flag : throw new FormatException($"'{text}' is not a bool.");
            case "array":
            case "object":
            case "secureobject":
                try { return JToken.Parse(text); }
                catch (JsonException) { throw new FormatException($"'{text}' is not JSON for parameter '{name}'."); }
            default:
                return value;
        }
    }

    private void ReadConnections(JObject? file, List<string> errors)
    {
        if (file is null) return;
        var scope = new ConfigurationScope(AppSettings, parameters);
        Resolve(file["serviceProviderConnections"], serviceProviderConnections);
        Resolve(file["managedApiConnections"], managedApiConnections);

        void Resolve(JToken? section, Dictionary<string, JObject> target)
        {
            if (section is null) return;
            if (section is not JObject entries)
            {
                errors.Add("connections.json: connection sections must be objects.");
                return;
            }
            foreach (var property in entries.Properties())
            {
                if (property.Value is not JObject connection)
                {
                    errors.Add($"connections.json: connection '{property.Name}' must be an object.");
                    continue;
                }
                try
                {
                    target[property.Name] = (JObject)WdlTemplate.Evaluate(connection, scope);
                }
                catch (Exception ex) when (ex is WdlExpressionException or ExpressionScopeException)
                {
                    // A missing app setting only matters to the workflows that use this connection.
                    target[property.Name] = connection;
                    ConnectionErrors[property.Name] = $"The connection '{property.Name}' in connections.json cannot be resolved: {ex.Message}";
                }
            }
        }
    }
}

/// <summary>Reads the <c>Values</c> of a <c>local.settings.json</c> file (the local app settings).</summary>
public static class LocalSettings
{
    public static Dictionary<string, string> LoadValues(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return values;
        JObject file;
        try
        {
            file = JObject.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new LogicAppLoadException([$"{path}: not valid JSON: {ex.Message}"]);
        }
        if (file["Values"] is JObject settings)
        {
            foreach (var property in settings.Properties()) values[property.Name] = property.Value.Type == JTokenType.Null ? "" : property.Value.ToString();
        }
        return values;
    }
}

/// <summary>What connections.json and parameters.json may use: <c>appsetting()</c> and (connections only) <c>parameters()</c>.</summary>
internal sealed class ConfigurationScope(IReadOnlyDictionary<string, string> appSettings, IReadOnlyDictionary<string, JToken>? parameters) : IExpressionScope
{
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public JToken AppSetting(string name) =>
        appSettings.TryGetValue(name, out var value) ? value : throw new ExpressionScopeException($"The app setting '{name}' is not defined.");

    public JToken Parameter(string name)
    {
        if (parameters is null) throw new ExpressionScopeException("parameters() can't be used in parameters.json; only appsetting() is allowed there.");
        return parameters.TryGetValue(name, out var value) ? value : throw new ExpressionScopeException($"The parameter '{name}' is not defined in parameters.json.");
    }

    public JToken Variable(string name) => throw NotAllowed("variables");
    public JToken Trigger() => throw NotAllowed("trigger");
    public JToken Action(string name) => throw NotAllowed("actions");
    public JToken CurrentAction() => throw NotAllowed("action");
    public JToken Item(string? loopName) => throw NotAllowed("item");
    public int IterationIndex(string loopName) => throw NotAllowed("iterationIndexes");
    public JToken Result(string scopeName) => throw NotAllowed("result");
    public JToken Workflow() => throw NotAllowed("workflow");

    private static ExpressionScopeException NotAllowed(string function) =>
        new($"The function '{function}' can't be used in connections.json or parameters.json; only parameters() and appsetting() are allowed.");
}
