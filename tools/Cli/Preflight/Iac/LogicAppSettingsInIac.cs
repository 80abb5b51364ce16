using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Iac;

/// <summary>
/// The app settings the infrastructure as code gives the Logic App (a <c>Microsoft.Web/sites</c> resource whose
/// kind holds <c>workflowapp</c>), wherever the template defines it: at the top or in a module (a nested
/// <c>Microsoft.Resources/deployments</c> with inner expression scope, as Bicep compiles modules). A
/// <c>Microsoft.Web/sites/config</c> resource named <c>appsettings</c> replaces the whole set when it is deployed,
/// so it wins over <c>siteConfig.appSettings</c> on the site
/// (https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-appsettings).
/// </summary>
public sealed class LogicAppSettingsInIac
{
    private LogicAppSettingsInIac(string source, string? logicAppName, IReadOnlyDictionary<string, JToken> settings, IReadOnlyList<string> unreadable)
    {
        Source = source;
        LogicAppName = logicAppName;
        Settings = settings;
        Unreadable = unreadable;
    }

    public string Source { get; }

    /// <summary>The Logic App's evaluated name; null when the template defines none.</summary>
    public string? LogicAppName { get; }

    /// <summary>Setting name → evaluated value (values Azure computes at deployment are symbolic).</summary>
    public IReadOnlyDictionary<string, JToken> Settings { get; }

    /// <summary>Why some settings could not be read (a name only known in Azure, an expression this reader cannot parse).</summary>
    public IReadOnlyList<string> Unreadable { get; }

    public static LogicAppSettingsInIac Read(IacTemplate iac)
    {
        var sites = new List<(string Name, JObject Resource, ArmEvaluator Evaluator)>();
        var configs = new List<(string Name, JObject Resource, ArmEvaluator Evaluator)>();
        var unreadable = new List<string>();
        Walk(new ArmEvaluator(iac.Template, iac.Parameters), sites, configs, unreadable, depth: 0);

        var logicApp = sites.FirstOrDefault(s => ((string?)s.Resource["kind"] ?? "").Contains("workflowapp", StringComparison.OrdinalIgnoreCase));
        if (logicApp.Resource is null) return new LogicAppSettingsInIac(iac.Source, null, new Dictionary<string, JToken>(), unreadable);

        var settings = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);
        var config = configs.FirstOrDefault(c => c.Name.Equals(logicApp.Name + "/appsettings", StringComparison.OrdinalIgnoreCase));
        try
        {
            if (config.Resource is not null)
            {
                var properties = config.Evaluator.Evaluate(config.Resource["properties"] ?? new JObject());
                if (properties is JObject values) foreach (var p in values.Properties()) settings[p.Name] = p.Value;
                else unreadable.Add($"the appsettings of {logicApp.Name} are {ArmEvaluator.Text(properties)}, known only in Azure");
            }
            else
            {
                // Evaluate siteConfig as a whole: Bicep compiles a for-expression over appSettings to a property copy loop on it.
                var list = logicApp.Evaluator.Evaluate(logicApp.Resource.SelectToken("properties.siteConfig") ?? new JObject())["appSettings"] ?? new JArray();
                foreach (var item in list as JArray ?? [])
                {
                    if (item is JObject { } pair && pair["name"] is JValue { Type: JTokenType.String } name && !ArmEvaluator.IsSymbolic(name))
                        settings[(string)name!] = pair["value"] ?? JValue.CreateNull();
                    else unreadable.Add($"an app setting of {logicApp.Name} has a name known only in Azure: {item.ToString(Newtonsoft.Json.Formatting.None)}");
                }
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or ArgumentException)
        {
            unreadable.Add($"the app settings of {logicApp.Name}: {ex.Message}");
        }
        foreach (var name in settings.Keys.Where(k => k.Contains(ArmEvaluator.SymbolStart, StringComparison.Ordinal)).ToArray())
        {
            unreadable.Add($"an app setting name is known only in Azure: {name}");
            settings.Remove(name);
        }
        return new LogicAppSettingsInIac(iac.Source, logicApp.Name, settings, unreadable);
    }

    private static void Walk(ArmEvaluator evaluator, List<(string, JObject, ArmEvaluator)> sites, List<(string, JObject, ArmEvaluator)> configs, List<string> unreadable, int depth)
    {
        var resources = evaluator.Template["resources"] switch
        {
            JArray array => array.OfType<JObject>(),
            JObject symbolic => symbolic.Properties().Select(p => p.Value).OfType<JObject>(), // languageVersion 2.0
            _ => [],
        };
        foreach (var resource in resources)
        {
            if (resource["existing"]?.Type == JTokenType.Boolean && (bool)resource["existing"]!) continue;
            var type = (string?)resource["type"] ?? "";
            try
            {
                if (resource["condition"] is { } condition && evaluator.Evaluate(condition) is JValue { Type: JTokenType.Boolean } when && !(bool)when) continue;
                if (type.Equals("Microsoft.Web/sites", StringComparison.OrdinalIgnoreCase))
                    sites.Add((ArmEvaluator.Text(evaluator.Evaluate(resource["name"]!)), resource, evaluator));
                else if (type.Equals("Microsoft.Web/sites/config", StringComparison.OrdinalIgnoreCase))
                    configs.Add((ArmEvaluator.Text(evaluator.Evaluate(resource["name"]!)), resource, evaluator));
                else if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase) && depth < 10 &&
                         resource.SelectToken("properties.template") is JObject inner)
                {
                    var innerScope = string.Equals((string?)resource.SelectToken("properties.expressionEvaluationOptions.scope"), "inner", StringComparison.OrdinalIgnoreCase);
                    var values = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);
                    foreach (var parameter in (resource.SelectToken("properties.parameters") as JObject ?? []).Properties())
                    {
                        if (parameter.Value["value"] is { } value) values[parameter.Name] = evaluator.Evaluate(value);
                    }
                    Walk(innerScope ? new ArmEvaluator(inner, values) : new ArmEvaluator(MergeOuter(evaluator.Template, inner), values), sites, configs, unreadable, depth + 1);
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or ArgumentException)
            {
                unreadable.Add($"a {type} resource: {ex.Message}");
            }
        }
    }

    /// <summary>A nested template with outer expression scope sees the parent's parameters and variables.</summary>
    private static JObject MergeOuter(JObject outer, JObject inner)
    {
        var merged = (JObject)inner.DeepClone();
        merged["parameters"] = outer["parameters"]?.DeepClone();
        merged["variables"] = outer["variables"]?.DeepClone();
        return merged;
    }
}
