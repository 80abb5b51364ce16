using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Monitoring;

/// <summary>
/// The Power BI project under deploy/monitoring/powerbi as files: the report (PBIR JSON) checked against the facts in
/// pbip-format.json, and the semantic model (TMDL) read just far enough to know its tables, columns, measures and the
/// KQL each partition sends.
/// </summary>
public sealed partial class PowerBiProject(string repositoryRoot)
{
    public const string Folder = "deploy/monitoring/powerbi";
    public const string ProjectFile = Folder + "/OrderIntegration.pbip";
    public const string ReportFolder = Folder + "/OrderIntegration.Report";
    public const string ModelFolder = Folder + "/OrderIntegration.SemanticModel";

    private static readonly Lazy<JObject> Facts = new(() =>
        JObject.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.FullPath, "tests/Workflows.Tests/Monitoring/pbip-format.json"))));

    private string PathOf(string relative) => Path.Combine(repositoryRoot, relative);

    public sealed record ModelTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> Measures, string? Query);

    /// <summary>Missing files, files that name the wrong $schema, lack a required property or carry one the schema
    /// does not allow, broken references between the files, and names Power BI would ignore.</summary>
    public IReadOnlyList<string> FormatProblems()
    {
        var problems = new List<string>();
        var project = ReadJson(ProjectFile, "pbip", problems);
        var reportFolders = (project?["artifacts"] as JArray ?? []).Select(a => (string?)a.SelectToken("report.path")).ToList();
        if (project is not null && !reportFolders.Contains("OrderIntegration.Report"))
            problems.Add($"{ProjectFile}: artifacts[].report.path does not name OrderIntegration.Report.");

        var pbir = ReadJson(ReportFolder + "/definition.pbir", "pbir", problems);
        var modelPath = (string?)pbir?.SelectToken("datasetReference.byPath.path");
        if (pbir is not null && (modelPath is null || Path.GetFullPath(Path.Combine(PathOf(ReportFolder), modelPath)) != Path.GetFullPath(PathOf(ModelFolder))))
            problems.Add($"{ReportFolder}/definition.pbir: datasetReference.byPath.path '{modelPath}' is not the relative path of {ModelFolder}.");
        ReadJson(ReportFolder + "/.platform", "platform", problems);
        ReadJson(ModelFolder + "/.platform", "platform", problems);
        ReadJson(ModelFolder + "/definition.pbism", "pbism", problems);
        foreach (var tmdl in new[] { "database.tmdl", "model.tmdl", "expressions.tmdl" })
        {
            if (!File.Exists(PathOf($"{ModelFolder}/definition/{tmdl}"))) problems.Add($"{ModelFolder}/definition/{tmdl} is missing.");
        }
        if (!Directory.Exists(PathOf($"{ModelFolder}/definition/tables")) || !Directory.EnumerateFiles(PathOf($"{ModelFolder}/definition/tables"), "*.tmdl").Any())
            problems.Add($"{ModelFolder}/definition/tables has no table.");

        var definition = ReportFolder + "/definition";
        ReadJson(definition + "/version.json", "version", problems);
        ReadJson(definition + "/report.json", "report", problems);
        var pagesFile = ReadJson(definition + "/pages/pages.json", "pages", problems);
        var pageFolders = Directory.Exists(PathOf(definition + "/pages"))
            ? Directory.GetDirectories(PathOf(definition + "/pages")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        if (pageFolders.Count == 0) problems.Add($"{definition}/pages has no page folder.");
        var order = (pagesFile?["pageOrder"] as JArray ?? []).Select(p => (string)p!).ToList();
        foreach (var missing in pageFolders.Except(order)) problems.Add($"{definition}/pages/pages.json: pageOrder leaves out the page '{missing}'.");
        foreach (var extra in order.Except(pageFolders!)) problems.Add($"{definition}/pages/pages.json: pageOrder names '{extra}', which has no page folder.");
        var active = (string?)pagesFile?["activePageName"];
        if (active is not null && !pageFolders.Contains(active)) problems.Add($"{definition}/pages/pages.json: activePageName '{active}' has no page folder.");

        foreach (var pageName in pageFolders)
        {
            var pageRelative = $"{definition}/pages/{pageName}";
            var page = ReadJson(pageRelative + "/page.json", "page", problems);
            if (page is null) continue;
            CheckName(page, pageName!, pageRelative + "/page.json", problems);
            var option = (string?)page["displayOption"];
            if (option is not null && !Facts.Value.SelectToken("kinds.page.displayOptions")!.Values<string>().Contains(option))
                problems.Add($"{pageRelative}/page.json: displayOption '{option}' is not one the schema allows.");
            var (pageWidth, pageHeight) = ((double?)page["width"] ?? 1280, (double?)page["height"] ?? 720);
            var visualsFolder = PathOf(pageRelative + "/visuals");
            if (!Directory.Exists(visualsFolder)) continue;
            foreach (var visualName in Directory.GetDirectories(visualsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                var file = $"{pageRelative}/visuals/{visualName}/visual.json";
                var visual = ReadJson(file, "visual", problems);
                if (visual is null) continue;
                CheckName(visual, visualName!, file, problems);
                CheckVisual(visual, file, pageWidth, pageHeight, problems);
            }
        }
        return problems;
    }

    /// <summary>Fields the visuals read (Entity + Property) that the semantic model has neither as column nor as measure.</summary>
    public IReadOnlyList<string> FieldProblems()
    {
        var tables = ModelTables().ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (file, visual) in Visuals())
        {
            foreach (var projection in visual.SelectTokens("visual.query.queryState.*.projections[*]").OfType<JObject>())
            {
                var field = projection["field"] as JObject;
                var kind = field?.Properties().FirstOrDefault()?.Name;
                var entity = (string?)field?.SelectToken("*.Expression.SourceRef.Entity");
                var property = (string?)field?.SelectToken("*.Property");
                if (entity is null || property is null || kind is not ("Column" or "Measure"))
                {
                    problems.Add($"{file}: a projection does not read a column or measure of a model table ({projection["queryRef"]}).");
                    continue;
                }
                if (!tables.TryGetValue(entity, out var table)) { problems.Add($"{file}: the model has no table '{entity}'."); continue; }
                var members = kind == "Column" ? table.Columns : table.Measures;
                if (!members.Contains(property)) problems.Add($"{file}: table '{entity}' has no {kind.ToLowerInvariant()} '{property}'.");
                if ((string?)projection["queryRef"] != $"{entity}.{property}") problems.Add($"{file}: queryRef '{projection["queryRef"]}' is not '{entity}.{property}'.");
            }
        }
        return problems;
    }

    public IEnumerable<(string File, JObject Visual)> Visuals()
    {
        var pages = PathOf(ReportFolder + "/definition/pages");
        return Directory.EnumerateFiles(pages, "visual.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(repositoryRoot, f).Replace('\\', '/'), JObject.Parse(File.ReadAllText(f))));
    }

    /// <summary>Tables of the TMDL definition folder: their columns, measures and the KQL their partition sends.</summary>
    public IReadOnlyList<ModelTable> ModelTables()
    {
        var tables = new List<ModelTable>();
        foreach (var file in Directory.EnumerateFiles(PathOf(ModelFolder + "/definition/tables"), "*.tmdl").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            var name = lines.Select(l => TableLine().Match(l)).First(m => m.Success).Groups[1].Value;
            var columns = lines.Select(l => ColumnLine().Match(l)).Where(m => m.Success).Select(m => Unquote(m.Groups[1].Value)).ToList();
            var measures = lines.Select(l => MeasureLine().Match(l)).Where(m => m.Success).Select(m => Unquote(m.Groups[1].Value)).ToList();
            tables.Add(new ModelTable(Unquote(name), columns, measures, PartitionQuery(lines)));
        }
        return tables;
    }

    /// <summary>The KQL an M partition sends: the string literals of its <c>Text.Combine({...}, "#(lf)")</c>, joined by line feeds.</summary>
    public static string? PartitionQuery(IReadOnlyList<string> tmdlLines)
    {
        var start = tmdlLines.ToList().FindIndex(l => l.Trim() == "Query = Text.Combine({");
        if (start < 0) return null;
        var parts = new List<string>();
        for (var i = start + 1; i < tmdlLines.Count && !tmdlLines[i].TrimStart().StartsWith("}, \"#(lf)\")", StringComparison.Ordinal); i++)
        {
            var literal = tmdlLines[i].Trim().TrimEnd(',');
            parts.Add(literal[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal).Replace("#(#)", "#", StringComparison.Ordinal));
        }
        return string.Join("\n", parts);
    }

    private static string Unquote(string name) =>
        name.StartsWith('\'') && name.EndsWith('\'') ? name[1..^1].Replace("''", "'", StringComparison.Ordinal) : name;

    private JObject? ReadJson(string relative, string kind, List<string> problems)
    {
        var path = PathOf(relative);
        if (!File.Exists(path)) { problems.Add($"{relative} is missing."); return null; }
        JObject json;
        try { json = JObject.Parse(File.ReadAllText(path)); }
        catch (Newtonsoft.Json.JsonReaderException ex) { problems.Add($"{relative}: not JSON ({ex.Message})."); return null; }
        var facts = (JObject)Facts.Value["kinds"]![kind]!;
        var schema = (string?)json["$schema"];
        if (schema != (string)facts["schema"]!) problems.Add($"{relative}: $schema is '{schema}', expected {facts["schema"]}.");
        foreach (var required in facts["required"]!.Values<string>().Where(r => json[r!] is null)) problems.Add($"{relative}: the required property '{required}' is missing.");
        var allowed = facts["allowed"]!.Values<string>().ToHashSet();
        foreach (var extra in json.Properties().Select(p => p.Name).Where(n => !allowed.Contains(n))) problems.Add($"{relative}: '{extra}' is not a property the schema allows.");
        foreach (var nested in (facts["nestedRequired"] as JObject ?? []).Properties())
        {
            if (json.SelectToken(nested.Name) is not JObject owner) continue;
            foreach (var required in nested.Value.Values<string>().Where(r => owner[r!] is null)) problems.Add($"{relative}: the required property '{nested.Name}.{required}' is missing.");
        }
        if (facts["minimumVersion"] is { } minimum && (!Version.TryParse((string?)json["version"], out var version) || version < Version.Parse((string)minimum!)))
            problems.Add($"{relative}: version '{json["version"]}' is below {minimum}, which the TMDL/PBIR definition folders need.");
        if (facts["versionPattern"] is { } pattern && !Regex.IsMatch((string?)json["version"] ?? "", (string)pattern!))
            problems.Add($"{relative}: version '{json["version"]}' is not major.minor.0.");
        return json;
    }

    private static void CheckName(JObject json, string folder, string file, List<string> problems)
    {
        var name = (string?)json["name"];
        var names = (JObject)Facts.Value["names"]!;
        if (name != folder) problems.Add($"{file}: name '{name}' differs from its folder '{folder}'.");
        if (name is null || !Regex.IsMatch(name, (string)names["pattern"]!) || name.Length > (int)names["maxLength"]!)
            problems.Add($"{file}: name '{name}' is not 1-50 letters, digits, underscores or hyphens (Power BI ignores such folders).");
    }

    private static void CheckVisual(JObject visual, string file, double pageWidth, double pageHeight, List<string> problems)
    {
        var facts = (JObject)Facts.Value.SelectToken("kinds.visual")!;
        if (visual["position"] is JObject position)
        {
            foreach (var extra in position.Properties().Select(p => p.Name).Except(facts["positionAllowed"]!.Values<string>())) problems.Add($"{file}: 'position.{extra}' is not a property the schema allows.");
            var (x, y, w, h) = ((double?)position["x"] ?? 0, (double?)position["y"] ?? 0, (double?)position["width"] ?? 0, (double?)position["height"] ?? 0);
            if (x < 0 || y < 0 || x + w > pageWidth || y + h > pageHeight) problems.Add($"{file}: the visual lies outside its {pageWidth}x{pageHeight} page.");
        }
        if (visual["visual"] is not JObject config) return;
        foreach (var extra in config.Properties().Select(p => p.Name).Except(facts["visualAllowed"]!.Values<string>())) problems.Add($"{file}: 'visual.{extra}' is not a property the schema allows.");
        if (config["query"] is JObject query && query["queryState"] is null) problems.Add($"{file}: the required property 'visual.query.queryState' is missing.");
        foreach (var projection in config.SelectTokens("query.queryState.*.projections[*]").OfType<JObject>())
        {
            foreach (var required in facts["projectionRequired"]!.Values<string>().Where(r => projection[r!] is null)) problems.Add($"{file}: a projection lacks the required property '{required}'.");
            foreach (var extra in projection.Properties().Select(p => p.Name).Except(facts["projectionAllowed"]!.Values<string>())) problems.Add($"{file}: '{extra}' is not a property a projection allows.");
        }
    }

    [GeneratedRegex(@"^table\s+(.+?)\s*$")]
    private static partial Regex TableLine();

    [GeneratedRegex(@"^\tcolumn\s+(.+?)\s*$")]
    private static partial Regex ColumnLine();

    [GeneratedRegex(@"^\tmeasure\s+('(?:[^']|'')*'|[^\s=]+)\s*=")]
    private static partial Regex MeasureLine();
}
