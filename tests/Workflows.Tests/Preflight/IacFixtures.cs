using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Preflight;

/// <summary>Small compiled (ARM JSON) templates holding one Logic App, for defects the repository's IaC must not have.</summary>
internal static class IacFixtures
{
    public static JObject Site(string name = "la-orders") => new()
    {
        ["type"] = "Microsoft.Web/sites",
        ["apiVersion"] = "2023-12-01",
        ["name"] = name,
        ["kind"] = "functionapp,workflowapp",
        ["properties"] = new JObject(),
    };

    public static JObject AppSettings(JToken properties, string name = "la-orders/appsettings") => new()
    {
        ["type"] = "Microsoft.Web/sites/config",
        ["apiVersion"] = "2023-12-01",
        ["name"] = name,
        ["properties"] = properties,
    };

    public static IacTemplate LogicApp(JToken appSettings) => Template(new JObject
    {
        ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        ["contentVersion"] = "1.0.0.0",
        ["resources"] = new JArray(Site(), AppSettings(appSettings)),
    });

    public static IacTemplate Template(JObject template)
    {
        var file = Path.Combine(Path.GetTempPath(), $"iac-{Guid.NewGuid():N}", "test-template.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, template.ToString());
        try { return IacTemplate.FromFile(file, displayName: "test-template.json"); }
        finally { Directory.Delete(Path.GetDirectoryName(file)!, recursive: true); }
    }
}
