using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Pipeline;

/// <summary>
/// What an environment's committed parameters file (deploy/infra/&lt;environment&gt;.parameters.json) must hold for the
/// release's deploy-infrastructure.sh to deploy the template: every parameter the template requires that is not
/// secure, only parameters it declares, and no secure parameter (secrets come from GitHub environment secrets).
/// </summary>
public static class EnvironmentParameters
{
    /// <summary>Set by deploy-infrastructure.sh from the stage, not by the file.</summary>
    public const string SetByTheScript = "environmentName";

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
