using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.Infrastructure.Bicep;

namespace Workflows.Tests.Infrastructure;

/// <summary>Session settlement (Service Bus) and SAP sessions run in stateful mode on a fixed number of instances, and
/// the app reaches SAP through its virtual network (see <see cref="StatefulConnectorMode"/> for the sources).</summary>
[TestClass]
public sealed class When_the_Logic_App_scales_stateful_connectors_keep_their_instance
{
    [TestMethod]
    public void The_app_is_integrated_with_a_delegated_subnet_has_private_ports_and_a_fixed_instance_count()
    {
        var problems = StatefulConnectorMode.Problems(RepositoryFiles.MainTemplate().ExpandResources());
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void The_plan_no_longer_allows_20_elastic_workers_by_default()
    {
        var template = RepositoryFiles.MainTemplate();
        var plan = template.ExpandResources().Single(r => r.Type == "Microsoft.Web/serverfarms");
        Assert.AreEqual((int)template.Parameter("logicAppInstanceCount"), (int)plan.Json.SelectToken("properties.maximumElasticWorkerCount")!);
        Assert.AreEqual(2, (int)template.Parameter("logicAppInstanceCount"));
    }

    [TestMethod]
    public void A_scale_out_limit_above_the_always_ready_instances_is_reported()
    {
        var compiled = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var site = ((JArray)CompiledInfrastructure.ModuleTemplate(compiled, "logicapp")["resources"]!).First(r => (string?)r["type"] == "Microsoft.Web/sites");
        site.SelectToken("properties.siteConfig")!["functionAppScaleLimit"] = 20;

        var problems = StatefulConnectorMode.Problems(new ArmTemplate(compiled).ExpandResources());

        Assert.HasCount(1, problems);
        StringAssert.Contains(problems[0], "functionAppScaleLimit) 20");
    }

    [TestMethod]
    public void A_site_without_VNet_integration_or_private_ports_is_reported()
    {
        var compiled = (JObject)CompiledInfrastructure.MainTemplateJson().DeepClone();
        var site = ((JArray)CompiledInfrastructure.ModuleTemplate(compiled, "logicapp")["resources"]!).First(r => (string?)r["type"] == "Microsoft.Web/sites");
        ((JObject)site["properties"]!).Remove("virtualNetworkSubnetId");
        ((JObject)site.SelectToken("properties.siteConfig")!).Remove("vnetPrivatePortsCount");

        var problems = StatefulConnectorMode.Problems(new ArmTemplate(compiled).ExpandResources());

        Assert.HasCount(2, problems, string.Join("\n", problems));
        Assert.IsTrue(problems.Any(p => p.Contains("virtualNetworkSubnetId", StringComparison.Ordinal)));
        Assert.IsTrue(problems.Any(p => p.Contains("vnetPrivatePortsCount", StringComparison.Ordinal)));
    }
}
