using System.Xml.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LocalLogicApp.PowerPlatform;

/// <summary>A cloud flow of a solution: its workflow id (from the file name), display name and <c>properties</c>
/// (<c>connectionReferences</c> and <c>definition</c>, the WDL the engine runs).</summary>
public sealed record CloudFlow(Guid WorkflowId, string Name, string FileName, JObject Properties)
{
    public JObject Definition => (JObject)Properties["definition"]!;

    public JObject ConnectionReferences => Properties["connectionReferences"] as JObject ?? new JObject();
}

/// <summary>An environment variable definition: schema name, type code and default value (if any).</summary>
public sealed record EnvironmentVariableDefinition(string SchemaName, int Type, string? DefaultValue)
{
    /// <summary>Type 100000005: a reference to an Azure Key Vault secret, read with RetrieveEnvironmentVariableSecretValue.</summary>
    public bool IsSecret => Type == 100000005;
}

/// <summary>
/// A Power Platform solution in the unpacked source form <c>pac solution unpack</c> (SolutionPackager) writes and
/// <c>pac solution pack</c> zips for import: <c>Other/Solution.xml</c> (manifest and root components),
/// <c>Other/Customizations.xml</c> (connection references), <c>Workflows/&lt;name&gt;-&lt;GUID&gt;.json</c> (each cloud
/// flow's <c>properties.connectionReferences</c> and <c>properties.definition</c>; Learn, "Work with cloud flows using
/// code", https://learn.microsoft.com/power-automate/manage-flows-with-code, the <c>clientdata</c> column) with its
/// <c>.json.data.xml</c>, and <c>environmentvariabledefinitions/&lt;schema&gt;/environmentvariabledefinition.xml</c>.
/// Loading checks what an import would trip over: every flow and environment variable is a root component (types 29
/// and 380), every connection a flow uses is one of its connection references, and every reference names a
/// connection reference of the solution.
/// </summary>
public sealed class CloudFlowSolution
{
    public const int WorkflowComponent = 29;
    public const int EnvironmentVariableComponent = 380;

    private CloudFlowSolution(string folder, string uniqueName)
    {
        Folder = folder;
        UniqueName = uniqueName;
    }

    public string Folder { get; }
    public string UniqueName { get; }
    public List<CloudFlow> Flows { get; } = [];

    /// <summary>Connection references by logical name → connector id (e.g. <c>/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps</c>).</summary>
    public Dictionary<string, string> ConnectionReferences { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EnvironmentVariableDefinition> EnvironmentVariables { get; } = new(StringComparer.Ordinal);

    public CloudFlow Flow(string name) =>
        Flows.SingleOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"The solution {UniqueName} has no flow named '{name}' (it has: {string.Join(", ", Flows.Select(f => f.Name))}).");

    /// <summary>Loads and checks the solution folder; every problem is listed in one <see cref="InvalidOperationException"/>.</summary>
    public static CloudFlowSolution Load(string folder)
    {
        var errors = new List<string>();
        var manifest = XDocument.Load(Path.Combine(folder, "Other", "Solution.xml")).Root!.Element("SolutionManifest")
                       ?? throw new InvalidOperationException($"{folder}/Other/Solution.xml has no SolutionManifest.");
        var solution = new CloudFlowSolution(folder, manifest.Element("UniqueName")?.Value ?? "");
        var roots = manifest.Element("RootComponents")?.Elements("RootComponent").ToList() ?? [];

        var customizations = XDocument.Load(Path.Combine(folder, "Other", "Customizations.xml")).Root!;
        foreach (var reference in customizations.Element("connectionreferences")?.Elements("connectionreference") ?? [])
            solution.ConnectionReferences[reference.Attribute("connectionreferencelogicalname")!.Value] = reference.Element("connectorid")?.Value ?? "";

        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "environmentvariabledefinitions"), "environmentvariabledefinition.xml", SearchOption.AllDirectories))
        {
            var definition = XDocument.Load(file).Root!;
            var schema = definition.Attribute("schemaname")!.Value;
            if (Path.GetFileName(Path.GetDirectoryName(file)) != schema) errors.Add($"{file}: the folder must be named after its schema name '{schema}'.");
            solution.EnvironmentVariables[schema] = new EnvironmentVariableDefinition(schema, int.Parse(definition.Element("type")!.Value), definition.Element("defaultvalue")?.Value);
            // Learn, "Use Azure Key Vault secrets" (environmentvariables-azure-key-vault-secrets): Azure Key Vault is the only
            // secret store; exported solutions name it, <secretstore>0</secretstore>.
            if (solution.EnvironmentVariables[schema].IsSecret && definition.Element("secretstore")?.Value != "0")
                errors.Add($"environment variable {schema} is a secret (type 100000005) without <secretstore>0</secretstore> (Azure Key Vault, the only secret store).");
            if (!roots.Any(r => r.Attribute("type")?.Value == EnvironmentVariableComponent.ToString() && r.Attribute("schemaName")?.Value == schema))
                errors.Add($"environment variable {schema} is not a root component (type {EnvironmentVariableComponent}) of Solution.xml: it would not travel with the solution.");
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "Workflows"), "*.json").Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(file);
            var guidText = Path.GetFileNameWithoutExtension(file)[^36..];
            if (!Guid.TryParse(guidText, out var id)) { errors.Add($"{fileName}: the name must end with the flow's GUID."); continue; }
            var dataXml = XDocument.Load(file + ".data.xml").Root!;
            var json = ReadJson(file);
            var flow = new CloudFlow(id, dataXml.Attribute("Name")?.Value ?? fileName, fileName, (JObject)json["properties"]!);
            solution.Flows.Add(flow);
            if (!roots.Any(r => r.Attribute("type")?.Value == WorkflowComponent.ToString() && Guid.TryParse(r.Attribute("id")?.Value, out var root) && root == id))
                errors.Add($"{fileName}: the flow is not a root component (type {WorkflowComponent}, id {{{id}}}) of Solution.xml.");
            if (dataXml.Element("JsonFileName")?.Value != "/Workflows/" + fileName) errors.Add($"{fileName}.data.xml: JsonFileName must be '/Workflows/{fileName}'.");
            solution.CheckConnections(flow, errors);
            solution.CheckEnvironmentVariables(flow, errors);
        }
        if (errors.Count > 0) throw new InvalidOperationException($"The solution in {folder} is not importable:\n- " + string.Join("\n- ", errors));
        return solution;
    }

    private void CheckConnections(CloudFlow flow, List<string> errors)
    {
        foreach (var reference in flow.ConnectionReferences.Properties())
        {
            var logicalName = reference.Value.SelectToken("connection.connectionReferenceLogicalName")?.ToString();
            if (logicalName is null || !ConnectionReferences.TryGetValue(logicalName, out var connector))
                errors.Add($"{flow.Name}: connection '{reference.Name}' names the connection reference '{logicalName}', which Customizations.xml does not define.");
            else if (!connector.EndsWith("/" + reference.Value.SelectToken("api.name"), StringComparison.Ordinal))
                errors.Add($"{flow.Name}: connection '{reference.Name}' is for '{reference.Value.SelectToken("api.name")}' but its reference '{logicalName}' is for '{connector}'.");
        }
        foreach (var host in flow.Definition.Descendants().OfType<JProperty>().Where(p => p.Name == "host" && p.Value is JObject h && h["apiId"] is not null))
        {
            var connectionName = host.Value["connectionName"]?.ToString();
            if (connectionName is null || flow.ConnectionReferences[connectionName] is null)
                errors.Add($"{flow.Name}: '{host.Parent?.Parent?.Path}' uses the connection '{connectionName}', which is not in the flow's connectionReferences.");
        }
    }

    /// <summary>Definition parameters that stand for environment variables carry <c>metadata.schemaName</c>.</summary>
    private void CheckEnvironmentVariables(CloudFlow flow, List<string> errors)
    {
        foreach (var parameter in (flow.Definition["parameters"] as JObject)?.Properties() ?? [])
        {
            if (parameter.Value.SelectToken("metadata.schemaName")?.ToString() is { } schema && !EnvironmentVariables.ContainsKey(schema))
                errors.Add($"{flow.Name}: parameter '{parameter.Name}' stands for the environment variable {schema}, which the solution does not define.");
        }
    }

    private static JObject ReadJson(string file)
    {
        using var reader = new JsonTextReader(File.OpenText(file)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
