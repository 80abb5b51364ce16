using System.Text.RegularExpressions;
using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure.Bicep;

namespace Workflows.Tests.Infrastructure;

/// <summary>Structural checks ARM would otherwise only report at deployment time, on the template Bicep compiles.</summary>
[TestClass]
public sealed partial class When_the_template_is_read_it_is_well_formed
{
    [TestMethod]
    public void It_uses_the_2019_04_01_deployment_schema_and_every_resource_has_type_api_version_and_name()
    {
        var template = RepositoryFiles.MainTemplate();
        Assert.AreEqual("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", (string?)template.Json["$schema"]);
        foreach (var resource in template.ExpandResources())
        {
            Assert.IsFalse(string.IsNullOrEmpty(resource.Type), resource.Json.ToString());
            Assert.IsFalse(string.IsNullOrEmpty(resource.Name), resource.Json.ToString());
            Assert.IsTrue(ApiVersion().IsMatch((string?)resource.Json["apiVersion"] ?? ""), $"{resource.Type}: apiVersion '{resource.Json["apiVersion"]}'");
        }
    }

    [TestMethod]
    public void Every_dependency_names_a_resource_or_copy_loop_of_its_own_template()
    {
        var dangling = DanglingDependencies(RepositoryFiles.MainTemplate());
        Assert.IsEmpty(dangling, string.Join("\n", dangling));
    }

    [TestMethod]
    public void A_dependency_on_a_resource_the_template_does_not_deploy_is_reported()
    {
        var compiled = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var module = Bicep.CompiledInfrastructure.ModuleTemplate(compiled, "logicapp");
        var site = ((JArray)module["resources"]!).First(r => (string?)r["type"] == "Microsoft.Web/sites");
        site["dependsOn"] = new JArray("[resourceId('Microsoft.Web/serverfarms', 'not-deployed')]");

        var dangling = DanglingDependencies(new ArmTemplate(compiled));

        Assert.HasCount(1, dangling);
        StringAssert.EndsWith(dangling[0], "/providers/Microsoft.Web/serverfarms/not-deployed");
    }

    [TestMethod]
    public void Every_expression_evaluates_with_the_default_parameters()
    {
        // Expansion throws on an unknown function, a missing parameter or variable, or a bad index.
        var resources = RepositoryFiles.MainTemplate().ExpandResources();
        Assert.IsNotEmpty(resources);
    }

    /// <summary>Each dependsOn must name a resource (or copy loop) of the template that declares it.</summary>
    private static List<string> DanglingDependencies(ArmTemplate entry)
    {
        var dangling = new List<string>();
        foreach (var template in entry.SelfAndModules())
        {
            var resources = template.OwnExpandedResources();
            var loops = ((JArray?)template.Json["resources"] ?? []).Select(r => (string?)r["copy"]?["name"]).OfType<string>().ToHashSet();
            var ids = resources.Where(r => r.Scope is null).Select(r => IdOf(r.Type, r.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            dangling.AddRange(resources.SelectMany(r => (r.Json["dependsOn"] as JArray ?? []).Select(d => (Resource: r, Dependency: (string)d!)))
                .Where(d => !loops.Contains(d.Dependency) && !ids.Contains(d.Dependency))
                .Select(d => $"{d.Resource.Deployment}: {d.Resource.Type} {d.Resource.Name} depends on {d.Dependency}"));
        }
        return dangling.Distinct().ToList();
    }

    private static string IdOf(string type, string name)
    {
        var types = type.Split('/');
        var names = name.Split('/');
        var id = $"{ArmTemplate.ResourceGroupId}/providers/{types[0]}";
        for (var i = 0; i < names.Length; i++) id += $"/{types[i + 1]}/{names[i]}";
        return id;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$")]
    private static partial Regex ApiVersion();
}
