using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure.Bicep;

/// <summary>
/// deploy/infra/main.bicep compiled once per test run by the real Bicep CLI; every infrastructure test reads this
/// compiled ARM template, never a hand-written one.
/// </summary>
public static class CompiledInfrastructure
{
    private static readonly Lazy<BicepResult> MainBuild = new(() => BicepCli.Build(RepositoryRoot.PathOf(IacTemplate.BicepEntryPoint)));

    /// <summary>The build of main.bicep (exit code, diagnostics, template).</summary>
    public static BicepResult MainResult => MainBuild.Value;

    /// <summary>The compiled template; a failed build is an error that names the diagnostics.</summary>
    public static JObject MainTemplateJson() => MainBuild.Value.TemplateOrThrow(IacTemplate.BicepEntryPoint);

    /// <summary>The inline template of one module deployment of a compiled entry template (to plant a fixture's defect).</summary>
    public static JObject ModuleTemplate(JObject compiled, string deploymentName) =>
        (JObject)((JArray)compiled["resources"]!).Single(r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == deploymentName)
            .SelectToken("properties.template")!;

    /// <summary>A fresh evaluator over a copy of the compiled template (tests may change the copy).</summary>
    public static ArmTemplate MainTemplate(params JObject[] parameterFiles) => new((JObject)MainTemplateJson().DeepClone(), parameterFiles);
}
