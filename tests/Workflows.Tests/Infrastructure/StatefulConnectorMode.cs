using Cli.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// What Microsoft Learn, "Enable stateful mode for stateless built-in connectors in Azure Logic Apps", asks of a
/// Standard logic app whose Service Bus (sessions) and SAP operations must stay on one instance: virtual network
/// integration (Prerequisites), <c>vnetPrivatePortsCount</c> 2 on the site configuration ("Update website
/// configuration for logic app"), and no scale-in: "Always Ready Instances" = "Maximum Scale Out Limit" (enforced) =
/// the plan's "Maximum Burst" ("Prevent context loss during resource scale-in events").
/// </summary>
public static class StatefulConnectorMode
{
    public static IReadOnlyList<string> Problems(IReadOnlyList<ArmResource> resources)
    {
        var problems = new List<string>();
        var site = resources.Single(r => r.Type == "Microsoft.Web/sites");
        var plan = resources.Single(r => r.Type == "Microsoft.Web/serverfarms");
        var config = site.Json.SelectToken("properties.siteConfig") as JObject ?? [];

        var subnetId = (string?)site.Json.SelectToken("properties.virtualNetworkSubnetId");
        if (string.IsNullOrEmpty(subnetId))
        {
            problems.Add("The site has no virtualNetworkSubnetId: no VNet integration, so no stateful mode and no route to SAP.");
        }
        else
        {
            var vnets = resources.Where(r => r.Type == "Microsoft.Network/virtualNetworks").ToList();
            var subnet = vnets.SelectMany(v => (v.Json.SelectToken("properties.subnets") as JArray ?? [])
                    .Select(s => (Id: $"{ArmTemplate.ResourceGroupId}/providers/Microsoft.Network/virtualNetworks/{v.Name}/subnets/{s["name"]}", Subnet: s)))
                .FirstOrDefault(s => string.Equals(s.Id, subnetId, StringComparison.OrdinalIgnoreCase)).Subnet;
            if (subnet is null) problems.Add($"virtualNetworkSubnetId {subnetId} is not a subnet the template deploys.");
            else if (!(subnet.SelectToken("properties.delegations") as JArray ?? []).Any(d => (string?)d.SelectToken("properties.serviceName") == "Microsoft.Web/serverFarms"))
            {
                problems.Add($"Subnet {subnet["name"]} is not delegated to Microsoft.Web/serverFarms.");
            }
        }

        if ((int?)config["vnetPrivatePortsCount"] is not >= 2) problems.Add($"siteConfig.vnetPrivatePortsCount is {config["vnetPrivatePortsCount"] ?? "missing"}; stateful mode needs 2.");
        var alwaysReady = (int?)config["minimumElasticInstanceCount"];
        var appLimit = (int?)config["functionAppScaleLimit"];
        var maximumBurst = (int?)plan.Json.SelectToken("properties.maximumElasticWorkerCount");
        if (alwaysReady is null || appLimit is null || maximumBurst is null || alwaysReady != appLimit || appLimit != maximumBurst || alwaysReady < 1)
        {
            problems.Add($"The instance count is not fixed: always ready (minimumElasticInstanceCount) {alwaysReady?.ToString() ?? "missing"}, " +
                $"app scale-out limit (functionAppScaleLimit) {appLimit?.ToString() ?? "missing"}, plan maximum burst (maximumElasticWorkerCount) {maximumBurst?.ToString() ?? "missing"}; all three must be equal.");
        }
        return problems;
    }
}
