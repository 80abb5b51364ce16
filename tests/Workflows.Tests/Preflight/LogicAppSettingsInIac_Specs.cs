using Cli.Iac;
using Cli.Preflight.Iac;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Preflight;

/// <summary>Reading the Logic App's app settings from a compiled template, as Bicep emits it (modules are nested deployments).</summary>
[TestClass]
public sealed class LogicAppSettingsInIac_Specs
{
    [TestMethod]
    public void The_repository_s_IaC_is_read_completely()
    {
        using var fixture = new PreflightFixture();
        var iac = LogicAppSettingsInIac.Read(IacTemplate.Load(fixture.Project));
        Assert.IsNotNull(iac.LogicAppName);
        Assert.AreEqual(0, iac.Unreadable.Count, string.Join("\n", iac.Unreadable));
        foreach (var expected in new[] { "FUNCTIONS_EXTENSION_VERSION", "WORKFLOWS_SUBSCRIPTION_ID", "serviceBusPublisher_fullyQualifiedNamespace", "Orders_TopicName" })
            Assert.IsTrue(iac.Settings.ContainsKey(expected), expected);
    }

    [TestMethod]
    public void Settings_in_a_module_are_found_with_the_values_passed_to_it()
    {
        var module = new JObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["parameters"] = new JObject { ["appName"] = new JObject { ["type"] = "string" }, ["business"] = new JObject { ["type"] = "object" } },
            ["resources"] = new JArray(
                IacFixtures.Site("[parameters('appName')]"),
                IacFixtures.AppSettings("[union(parameters('business'), createObject('FUNCTIONS_EXTENSION_VERSION', '~4', 'Vault_Uri', reference(resourceId('Microsoft.KeyVault/vaults', 'kv')).vaultUri))]",
                    "[format('{0}/appsettings', parameters('appName'))]")),
        };
        var main = new JObject
        {
            ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            ["parameters"] = new JObject { ["environmentName"] = new JObject { ["type"] = "string", ["defaultValue"] = "dev" } },
            ["variables"] = new JObject { ["business"] = new JObject { ["Orders_TopicName"] = "orders" } },
            ["resources"] = new JArray(new JObject
            {
                ["type"] = "Microsoft.Resources/deployments",
                ["apiVersion"] = "2022-09-01",
                ["name"] = "logicApp",
                ["properties"] = new JObject
                {
                    ["expressionEvaluationOptions"] = new JObject { ["scope"] = "inner" },
                    ["mode"] = "Incremental",
                    ["parameters"] = new JObject
                    {
                        ["appName"] = new JObject { ["value"] = "[format('la-orders-{0}', parameters('environmentName'))]" },
                        ["business"] = new JObject { ["value"] = "[variables('business')]" },
                    },
                    ["template"] = module,
                },
            }),
        };
        var iac = LogicAppSettingsInIac.Read(IacFixtures.Template(main));
        Assert.AreEqual("la-orders-dev", iac.LogicAppName);
        CollectionAssert.AreEquivalent(new[] { "Orders_TopicName", "FUNCTIONS_EXTENSION_VERSION", "Vault_Uri" }, iac.Settings.Keys.ToArray(), string.Join("\n", iac.Unreadable));
        Assert.AreEqual("orders", (string?)iac.Settings["Orders_TopicName"]);
        Assert.IsTrue(ArmTemplate.IsSymbolic(iac.Settings["Vault_Uri"]), "a value only Azure knows stays symbolic");
    }

    [TestMethod]
    public void Site_config_app_settings_built_by_a_loop_are_read()
    {
        var site = IacFixtures.Site();
        site["properties"] = JObject.Parse("""
            { "siteConfig": { "copy": [ { "name": "appSettings", "count": "[length(variables('names'))]",
              "input": { "name": "[variables('names')[copyIndex('appSettings')]]", "value": "x" } } ] } }
            """);
        var iac = LogicAppSettingsInIac.Read(IacFixtures.Template(new JObject
        {
            ["variables"] = new JObject { ["names"] = new JArray("APP_KIND", "Lake_Container") },
            ["resources"] = new JArray(site),
        }));
        CollectionAssert.AreEquivalent(new[] { "APP_KIND", "Lake_Container" }, iac.Settings.Keys.ToArray());
    }

    [TestMethod]
    public void Settings_built_with_lambdas_are_read()
    {
        var iac = LogicAppSettingsInIac.Read(IacFixtures.Template(new JObject
        {
            ["variables"] = new JObject { ["subscribers"] = new JArray("SapFulfillment", "LakeArchive") },
            ["resources"] = new JArray(IacFixtures.Site(), IacFixtures.AppSettings(
                "[toObject(variables('subscribers'), lambda('s', format('serviceBus{0}_identity', lambdaVariables('s'))), lambda('s', toLower(lambdaVariables('s'))))]")),
        }));
        CollectionAssert.AreEquivalent(new[] { "serviceBusSapFulfillment_identity", "serviceBusLakeArchive_identity" }, iac.Settings.Keys.ToArray());
        Assert.AreEqual("lakearchive", (string?)iac.Settings["serviceBusLakeArchive_identity"]);
    }

    [TestMethod]
    public void The_appsettings_resource_replaces_site_config()
    {
        var site = IacFixtures.Site();
        site["properties"] = JObject.Parse("""{ "siteConfig": { "appSettings": [ { "name": "ONLY_ON_THE_SITE", "value": "1" } ] } }""");
        var iac = LogicAppSettingsInIac.Read(IacFixtures.Template(new JObject
        {
            ["resources"] = new JArray(site, IacFixtures.AppSettings(new JObject { ["APP_KIND"] = "workflowApp" })),
        }));
        CollectionAssert.AreEquivalent(new[] { "APP_KIND" }, iac.Settings.Keys.ToArray());
    }

    [TestMethod]
    public void A_setting_name_only_Azure_knows_is_reported_as_unreadable()
    {
        var iac = LogicAppSettingsInIac.Read(IacFixtures.LogicApp("[createObject(reference('x').name, 'v', 'APP_KIND', 'workflowApp')]"));
        Assert.IsTrue(iac.Settings.ContainsKey("APP_KIND"));
        Assert.AreEqual(1, iac.Unreadable.Count, string.Join("\n", iac.Unreadable));
    }

    [TestMethod]
    public void A_template_without_a_Logic_App_has_no_settings()
    {
        var iac = LogicAppSettingsInIac.Read(IacFixtures.Template(new JObject { ["resources"] = new JArray() }));
        Assert.IsNull(iac.LogicAppName);
    }
}
