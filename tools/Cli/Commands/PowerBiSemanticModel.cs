using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Cli.Commands;

/// <summary>
/// Writes the TMDL of the Power BI semantic model (deploy/monitoring/powerbi/OrderIntegration.SemanticModel/definition)
/// from <see cref="ManifestFile"/> and the KQL files of deploy/monitoring: every table's partition imports one KQL
/// file verbatim through the Azure Data Explorer connector, so the dashboard and the workbook share one definition
/// per KPI. TMDL syntax: https://learn.microsoft.com/analysis-services/tmdl/tmdl-overview (tabs, one file per table,
/// shared expressions with <c>meta [IsParameterQuery=true]</c> are the model's parameters). The endpoints are the
/// Azure Data Explorer proxies of Azure Monitor:
/// https://learn.microsoft.com/azure/data-explorer/query-monitor-data ("Add a Log Analytics/Application Insights
/// workspace to Azure Data Explorer client tools").
/// </summary>
public static class PowerBiSemanticModel
{
    public const string MonitoringFolder = "deploy/monitoring";
    public const string ManifestFile = "deploy/monitoring/powerbi/semantic-model.json";
    public const string DefinitionFolder = "deploy/monitoring/powerbi/OrderIntegration.SemanticModel/definition";

    /// <summary>The model's parameters: the resources it reads (never a key) and the window it imports.</summary>
    public static readonly IReadOnlyList<(string Name, string Default, string Type, string Description)> Parameters =
    [
        ("SubscriptionId", "00000000-0000-0000-0000-000000000000", "Text", "Azure subscription id of the monitoring resources."),
        ("ResourceGroup", "rg-orders-prod", "Text", "Resource group of the Log Analytics workspace and the Application Insights resource."),
        ("ApplicationInsightsName", "appi-orders-prod", "Text", "Name of the workspace-based Application Insights resource (deploy/infra: appi-orders-<environment>-<suffix>)."),
        ("LogAnalyticsWorkspaceName", "log-orders-prod", "Text", "Name of the Log Analytics workspace (deploy/infra: log-orders-<environment>-<suffix>)."),
        ("LookbackDays", "30", "Number", "Days of telemetry each refresh imports (whole time bins; at most the workspace retention)."),
    ];

    /// <summary>Expressions built from the parameters: the two connector endpoints and the window's start.</summary>
    public static readonly IReadOnlyList<string> DerivedNames = ["ApplicationInsightsCluster", "LogAnalyticsCluster", "WindowStart"];

    public sealed record Table(string Name, string Query, string Source, string TimeColumn, string Description,
        IReadOnlyList<(string Name, string DataType)> Columns, IReadOnlyList<(string Name, string Expression, string Format)> Measures);

    public static IReadOnlyList<Table> ReadManifest(string repositoryRoot)
    {
        var manifest = JObject.Parse(File.ReadAllText(Path.Combine(repositoryRoot, ManifestFile)));
        return ((JArray)manifest["tables"]!).Cast<JObject>().Select(t => new Table(
            (string)t["name"]!, (string)t["query"]!, (string)t["source"]!, (string)t["timeColumn"]!, (string?)t["description"] ?? "",
            ((JObject)t["columns"]!).Properties().Select(p => (p.Name, (string)p.Value!)).ToList(),
            ((JArray?)t["measures"] ?? []).Cast<JObject>().Select(m => ((string)m["name"]!, (string)m["expression"]!, (string?)m["format"] ?? "")).ToList())).ToList();
    }

    /// <summary>Every file of the definition folder, path relative to it, with its text.</summary>
    public static IReadOnlyDictionary<string, string> Generate(string repositoryRoot)
    {
        var tables = ReadManifest(repositoryRoot);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["database.tmdl"] = "database\n\tcompatibilityLevel: 1567\n\n",
            ["model.tmdl"] = Model(tables),
            ["expressions.tmdl"] = Expressions(),
        };
        foreach (var table in tables)
        {
            var kql = File.ReadAllText(Path.Combine(repositoryRoot, MonitoringFolder, table.Query));
            files[$"tables/{table.Name}.tmdl"] = TableTmdl(table, kql);
        }
        return files;
    }

    /// <summary>Rewrites the definition folder; returns the files that changed (removes files no table produces).</summary>
    public static IReadOnlyList<string> WriteAll(string repositoryRoot)
    {
        var folder = Path.Combine(repositoryRoot, DefinitionFolder);
        var generated = Generate(repositoryRoot);
        var changed = new List<string>();
        foreach (var (path, text) in generated)
        {
            var full = Path.Combine(folder, path);
            if (File.Exists(full) && File.ReadAllText(full) == text) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            changed.Add(path);
        }
        foreach (var stale in FindExtra(repositoryRoot, generated))
        {
            File.Delete(Path.Combine(folder, stale));
            changed.Add(stale + " (removed)");
        }
        return changed;
    }

    /// <summary>Files of the committed definition folder that differ from the generator's output, or are missing or extra.</summary>
    public static IReadOnlyList<string> FindStale(string repositoryRoot)
    {
        var folder = Path.Combine(repositoryRoot, DefinitionFolder);
        var generated = Generate(repositoryRoot);
        var stale = generated.Where(f => !File.Exists(Path.Combine(folder, f.Key)) || File.ReadAllText(Path.Combine(folder, f.Key)) != f.Value)
            .Select(f => f.Key).ToList();
        stale.AddRange(FindExtra(repositoryRoot, generated));
        return stale;
    }

    private static IEnumerable<string> FindExtra(string repositoryRoot, IReadOnlyDictionary<string, string> generated)
    {
        var folder = Path.Combine(repositoryRoot, DefinitionFolder);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*.tmdl", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !generated.ContainsKey(f)).Order(StringComparer.Ordinal).ToList();
    }

    private static string Model(IReadOnlyList<Table> tables)
    {
        var text = new StringBuilder();
        text.Append("model Model\n\tculture: en-US\n\tdefaultPowerBIDataSourceVersion: powerBI_V3\n\tsourceQueryCulture: en-US\n");
        text.Append("\tdataAccessOptions\n\t\tlegacyRedirects\n\t\treturnErrorValuesAsNull\n\n");
        text.Append("annotation PBI_QueryOrder = [").Append(string.Join(",", Parameters.Select(p => Quote(p.Name)).Concat(DerivedNames.Select(Quote)).Concat(tables.Select(t => Quote(t.Name))))).Append("]\n\n");
        // No automatic date tables: the time columns are 5-minute to 1-hour bins, charted as they are.
        text.Append("annotation __PBI_TimeIntelligenceEnabled = 0\n\n");
        text.Append("annotation PBI_ProTooling = [\"DevMode\"]\n\n");
        foreach (var table in tables) text.Append("ref table ").Append(Name(table.Name)).Append('\n');
        text.Append('\n');
        return text.ToString();
    }

    private static string Expressions()
    {
        var text = new StringBuilder();
        foreach (var p in Parameters)
        {
            var value = p.Type == "Text" ? Quote(p.Default) : p.Default;
            text.Append("/// ").Append(p.Description).Append('\n');
            text.Append("expression ").Append(p.Name).Append(" = ").Append(value)
                .Append(" meta [IsParameterQuery=true, Type=\"").Append(p.Type).Append("\", IsParameterQueryRequired=true]\n");
            text.Append("\tlineageTag: ").Append(LineageTag("expression", p.Name)).Append("\n\n");
            text.Append("\tannotation PBI_ResultType = ").Append(p.Type).Append("\n\n");
        }
        Derived(text, "ApplicationInsightsCluster", "Azure Data Explorer proxy URL of the Application Insights resource.",
            "\"https://ade.applicationinsights.io/subscriptions/\" & SubscriptionId & \"/resourcegroups/\" & ResourceGroup & \"/providers/microsoft.insights/components/\" & ApplicationInsightsName");
        Derived(text, "LogAnalyticsCluster", "Azure Data Explorer proxy URL of the Log Analytics workspace.",
            "\"https://ade.loganalytics.io/subscriptions/\" & SubscriptionId & \"/resourcegroups/\" & ResourceGroup & \"/providers/microsoft.operationalinsights/workspaces/\" & LogAnalyticsWorkspaceName");
        Derived(text, "WindowStart", "Start of the imported window (UTC): LookbackDays before the refresh.",
            "DateTimeZone.RemoveZone(DateTimeZone.FixedUtcNow()) - #duration(LookbackDays, 0, 0, 0)");
        return text.ToString();
    }

    private static void Derived(StringBuilder text, string name, string description, string m)
    {
        text.Append("/// ").Append(description).Append('\n');
        text.Append("expression ").Append(name).Append(" = ").Append(m).Append('\n');
        text.Append("\tlineageTag: ").Append(LineageTag("expression", name)).Append("\n\n");
        text.Append("\tannotation PBI_ResultType = ").Append(name == "WindowStart" ? "DateTime" : "Text").Append("\n\n");
    }

    private static string TableTmdl(Table table, string kql)
    {
        var text = new StringBuilder();
        text.Append("/// ").Append(table.Description).Append(" Source: ").Append(MonitoringFolder).Append('/').Append(table.Query).Append('\n');
        text.Append("table ").Append(Name(table.Name)).Append('\n');
        text.Append("\tlineageTag: ").Append(LineageTag(table.Name, "")).Append("\n\n");
        foreach (var (name, expression, format) in table.Measures)
        {
            text.Append("\tmeasure ").Append(Name(name)).Append(" = ").Append(expression).Append('\n');
            if (format.Length > 0) text.Append("\t\tformatString: ").Append(format).Append('\n');
            text.Append("\t\tlineageTag: ").Append(LineageTag(table.Name, "measure " + name)).Append("\n\n");
        }
        foreach (var (name, dataType) in table.Columns)
        {
            text.Append("\tcolumn ").Append(Name(name)).Append('\n');
            text.Append("\t\tdataType: ").Append(dataType).Append('\n');
            if (dataType == "dateTime") text.Append("\t\tformatString: General Date\n");
            if (dataType == "int64") text.Append("\t\tformatString: 0\n");
            text.Append("\t\tlineageTag: ").Append(LineageTag(table.Name, "column " + name)).Append('\n');
            text.Append("\t\tsummarizeBy: none\n");
            text.Append("\t\tsourceColumn: ").Append(name).Append("\n\n");
            text.Append("\t\tannotation SummarizationSetBy = Automatic\n\n");
        }
        text.Append("\tpartition ").Append(Name(table.Name)).Append(" = m\n");
        text.Append("\t\tmode: import\n");
        text.Append("\t\tsource =\n");
        foreach (var line in PartitionM(table, kql)) text.Append("\t\t\t\t").Append(line).Append('\n');
        text.Append('\n');
        text.Append("\tannotation PBI_ResultType = Table\n\n");
        return text.ToString();
    }

    /// <summary>The partition's M: the KQL file as a list of lines, sent through the Azure Data Explorer connector,
    /// then only the rows of the last LookbackDays (the connector folds the row filter into the query).</summary>
    public static IEnumerable<string> PartitionM(Table table, string kql)
    {
        var (cluster, database) = table.Source switch
        {
            "applicationInsights" => ("ApplicationInsightsCluster", "ApplicationInsightsName"),
            "logAnalytics" => ("LogAnalyticsCluster", "LogAnalyticsWorkspaceName"),
            _ => throw new InvalidDataException($"{ManifestFile}: table '{table.Name}' has source '{table.Source}'; use applicationInsights or logAnalytics."),
        };
        if (table.Columns.All(c => c.Name != table.TimeColumn))
            throw new InvalidDataException($"{ManifestFile}: table '{table.Name}' filters on '{table.TimeColumn}', which is not one of its columns.");
        var lines = KqlLines(kql);
        yield return "let";
        yield return "    Query = Text.Combine({";
        for (var i = 0; i < lines.Count; i++) yield return "        " + MString(lines[i]) + (i < lines.Count - 1 ? "," : "");
        yield return "    }, \"#(lf)\"),";
        yield return $"    Source = AzureDataExplorer.Contents({cluster}, {database}, Query, [Timeout = #duration(0, 0, 10, 0)]),";
        yield return $"    InWindow = Table.SelectRows(Source, each [{table.TimeColumn}] >= WindowStart)";
        yield return "in";
        yield return "    InWindow";
    }

    /// <summary>The lines of a KQL file as the model sends them (line endings normalised, trailing blank lines dropped).</summary>
    public static IReadOnlyList<string> KqlLines(string kql) =>
        kql.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n', ' ', '\t').Split('\n');

    /// <summary>An M text literal: quotes doubled; '#(' escaped, because it starts an escape sequence in M.</summary>
    public static string MString(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal).Replace("#(", "#(#)(", StringComparison.Ordinal) + "\"";

    /// <summary>A TMDL object name, quoted when it holds a character TMDL requires quoting for.</summary>
    public static string Name(string name) =>
        name.IndexOfAny([' ', '.', '=', ':', '\'', '(', ')', '-']) >= 0 ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'" : name;

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Stable lineage tags (a GUID from the object's path), so regenerating changes nothing.</summary>
    private static string LineageTag(string owner, string member)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes("OrderIntegration|" + owner + "|" + member));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true).ToString();
    }
}
