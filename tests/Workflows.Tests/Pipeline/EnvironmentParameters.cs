using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Pipeline;

/// <summary>
/// What an environment's committed parameters file (deploy/infra/&lt;environment&gt;.parameters.json) must hold for the
/// release's deploy-infrastructure.sh to deploy the template: every parameter the template requires that is not
/// secure, only parameters it declares, and no secure parameter (secrets come from GitHub environment secrets). An
/// environment's own file (not the example) also sets every business setting the example sets, with a value of its own:
/// a placeholder left in would deploy an SMS sender or a warehouse URL that does not exist.
/// </summary>
public static class EnvironmentParameters
{
    /// <summary>Set by deploy-infrastructure.sh from the stage, not by the file.</summary>
    public const string SetByTheScript = "environmentName";

    public const string ExampleFile = "example.parameters.json";

    /// <summary>An environment's file against the example: each business setting the example sets is set, to another value.</summary>
    public static IReadOnlyList<string> PlaceholderProblems(JObject example, JObject parametersFile, string source)
    {
        var problems = new List<string>();
        foreach (var parameter in (example["parameters"] as JObject ?? []).Properties())
        {
            var given = parametersFile.SelectToken($"parameters.{parameter.Name}.value");
            var placeholder = parameter.Value["value"];
            if (placeholder is JObject settings)
            {
                foreach (var setting in settings.Properties())
                {
                    var value = given?[setting.Name];
                    if (value is null) problems.Add($"{source}: {parameter.Name}.{setting.Name} is not set: every environment has its own (the default is a placeholder).");
                    else if (JToken.DeepEquals(value, setting.Value)) problems.Add($"{source}: {parameter.Name}.{setting.Name} is still the example's placeholder '{setting.Value}'.");
                }
            }
            else if (given is not null && JToken.DeepEquals(given, placeholder))
            {
                problems.Add($"{source}: {parameter.Name} is still the example's placeholder '{placeholder}'.");
            }
        }
        return problems;
    }

    /// <summary>Keys of an object parameter merged over the template's defaults (workflowSettings) that no default has: an app setting nobody reads.</summary>
    public static IReadOnlyList<string> UnknownSettings(JObject compiledTemplate, JObject parametersFile, string source, string parameter, string defaultsVariable)
    {
        var defaults = compiledTemplate.SelectToken($"variables.{defaultsVariable}") as JObject ?? [];
        var given = parametersFile.SelectToken($"parameters.{parameter}.value") as JObject ?? [];
        return given.Properties().Where(p => defaults[p.Name] is null)
            .Select(p => $"{source}: {parameter}.{p.Name} is not a setting of {defaultsVariable}: no workflow reads it.").ToList();
    }

    public static IReadOnlyList<string> Problems(JObject compiledTemplate, JObject parametersFile, string source)
    {
        var declared = (JObject)compiledTemplate["parameters"]!;
        var given = (parametersFile["parameters"] as JObject ?? []).Properties().Select(p => p.Name).ToList();
        var problems = new List<string>();
        if ((string?)parametersFile["$schema"] is not { } schema || !schema.Contains("deploymentParameters.json", StringComparison.Ordinal))
            problems.Add($"{source}: $schema is not the ARM deployment parameters schema.");
        foreach (var name in given)
        {
            if (declared[name] is not JObject declaration) problems.Add($"{source}: '{name}' is not a parameter of the template.");
            else if (IsSecure(declaration)) problems.Add($"{source}: '{name}' is secure: it comes from the environment's secrets, never from a committed file.");
        }
        foreach (var required in declared.Properties().Where(p => p.Value["defaultValue"] is null && !IsSecure((JObject)p.Value) && p.Name != SetByTheScript))
        {
            if (!given.Contains(required.Name)) problems.Add($"{source}: '{required.Name}' is required by the template and not set.");
        }
        return problems;
    }

    private static bool IsSecure(JObject declaration) =>
        (string?)declaration["type"] is { } type && type.StartsWith("secure", StringComparison.OrdinalIgnoreCase);
}
