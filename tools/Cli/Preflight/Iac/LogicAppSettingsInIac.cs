using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Cli.Preflight.Iac;

/// <summary>
/// The app settings the infrastructure as code gives the Logic App (a <c>Microsoft.Web/sites</c> resource whose
/// kind holds <c>workflowapp</c>), wherever the template defines it: at the top or in a module (a nested
/// <c>Microsoft.Resources/deployments</c>, as Bicep compiles modules), read by the shared evaluator <see cref="ArmTemplate"/>. A
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
        var sites = new List<Declared>();
        var configs = new List<Declared>();
        var unreadable = new List<string>();
        Walk(iac.Evaluator(), sites, configs, unreadable, depth: 0);

        var logicApp = sites.FirstOrDefault(s => ((string?)s.Resource["kind"] ?? "").Contains("workflowapp", StringComparison.OrdinalIgnoreCase));
        if (logicApp is null) return new LogicAppSettingsInIac(iac.Source, null, new Dictionary<string, JToken>(), unreadable);

        var settings = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);
        var config = configs.FirstOrDefault(c => c.Name.Equals(logicApp.Name + "/appsettings", StringComparison.OrdinalIgnoreCase));
        try
        {
            if (config is not null)
            {
                var properties = config.Template.Evaluate(config.Resource["properties"] ?? new JObject());
                if (properties is JObject values) foreach (var p in values.Properties()) settings[p.Name] = p.Value;
                else unreadable.Add($"the appsettings of {logicApp.Name} are {ArmTemplate.Text(properties)}, known only in Azure");
            }
            else
            {
                // Evaluate siteConfig as a whole: Bicep compiles a for-expression over appSettings to a property copy loop on it.
                var list = logicApp.Template.Evaluate(logicApp.Resource.SelectToken("properties.siteConfig") ?? new JObject())["appSettings"] ?? new JArray();
                foreach (var item in list as JArray ?? [])
                {
                    if (item is JObject { } pair && pair["name"] is JValue { Type: JTokenType.String } name && !ArmTemplate.IsSymbolic(name))
                        settings[(string)name!] = pair["value"] ?? JValue.CreateNull();
                    else unreadable.Add($"an app setting of {logicApp.Name} has a name known only in Azure: {item.ToString(Newtonsoft.Json.Formatting.None)}");
                }
            }
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            unreadable.Add($"the app settings of {logicApp.Name}: {ex.Message}");
        }
        foreach (var name in settings.Keys.Where(k => k.Contains(ArmTemplate.SymbolStart, StringComparison.Ordinal)).ToArray())
        {
            unreadable.Add($"an app setting name is known only in Azure: {name}");
            settings.Remove(name);
        }
        return new LogicAppSettingsInIac(iac.Source, logicApp.Name, settings, unreadable);
    }

    /// <summary>A resource as its template declares it, with its evaluated name and the template that evaluates it.</summary>
    private sealed record Declared(string Name, JObject Resource, ArmTemplate Template);

    private static bool IsUnreadable(Exception ex) => ex is ArmEvaluationException or FormatException or InvalidCastException or ArgumentException;

    private static void Walk(ArmTemplate template, List<Declared> sites, List<Declared> configs, List<string> unreadable, int depth)
    {
        foreach (var resource in template.DeclaredResources())
        {
            var type = (string?)resource["type"] ?? "";
            try
            {
                if (template.IsDeployed(resource) == false) continue;
                if (type.Equals("Microsoft.Web/sites", StringComparison.OrdinalIgnoreCase))
                    sites.Add(new(ArmTemplate.Text(template.Evaluate(resource["name"]!)), resource, template));
                else if (type.Equals("Microsoft.Web/sites/config", StringComparison.OrdinalIgnoreCase))
                    configs.Add(new(ArmTemplate.Text(template.Evaluate(resource["name"]!)), resource, template));
                // A module (nested deployment with an inline template); a linked template is read only by Azure.
                else if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase) && depth < 10 && resource.SelectToken("properties.template") is JObject)
                    Walk(template.ModuleOf(resource), sites, configs, unreadable, depth + 1);
            }
            catch (Exception ex) when (IsUnreadable(ex))
            {
                unreadable.Add($"a {type} resource: {ex.Message}");
            }
        }
    }
}
