using System.Text.RegularExpressions;
using Cli.Iac;
using Newtonsoft.Json.Linq;
using Workflows.Tests.StaticChecks;

namespace Workflows.Tests.Infrastructure;

/// <summary>Microsoft Entra identities everywhere it is possible; the one documented exception is the Functions
/// host storage account (docs/identities.md, "No keys").</summary>
[TestClass]
public sealed class When_the_infrastructure_is_deployed_no_keys_are_handed_out
{
    [TestMethod]
    public void Service_Bus_accepts_only_Microsoft_Entra_tokens_and_has_no_authorization_rules()
    {
        var resources = RepositoryFiles.MainTemplate().ExpandResources();
        var ns = resources.Single(r => r.Type == "Microsoft.ServiceBus/namespaces");
        Assert.IsTrue((bool)ns.Json.SelectToken("properties.disableLocalAuth")!);
        Assert.IsEmpty(resources.Where(r => r.Type.Contains("authorizationRules", StringComparison.OrdinalIgnoreCase)).ToList());
    }

    [TestMethod]
    public void The_lake_account_refuses_shared_keys_and_only_the_host_account_allows_them()
    {
        var template = RepositoryFiles.MainTemplate();
        var accounts = template.ExpandResources().Where(r => r.Type == "Microsoft.Storage/storageAccounts").ToList();
        var lake = accounts.Single(a => (bool?)a.Json.SelectToken("properties.isHnsEnabled") == true);
        Assert.IsFalse((bool)lake.Json.SelectToken("properties.allowSharedKeyAccess")!);

        var hostAccountName = (string?)template.Variable("names")["hostStorageAccount"];
        var keyed = accounts.Where(a => (bool?)a.Json.SelectToken("properties.allowSharedKeyAccess") != false).Select(a => a.Name).ToList();
        CollectionAssert.AreEqual(new[] { hostAccountName }, keyed);
    }

    [TestMethod]
    public void listKeys_appears_once_for_the_host_account_and_feeds_only_the_host_settings()
    {
        var template = RepositoryFiles.MainTemplate();
        // Bicep inlines a variable that calls listKeys into the resource that uses it: the app settings.
        CollectionAssert.AreEqual(new[] { "logicapp: Microsoft.Web/sites/config" }, ListKeysUses(template).ToArray());
        StringAssert.Contains((string?)AppSettings.Evaluated(template)["AzureWebJobsStorage"],
            $"listKeys({ArmTemplate.ResourceGroupId}/providers/Microsoft.Storage/storageAccounts/{template.Variable("names")["hostStorageAccount"]})");

        var settingsUsingIt = AppSettings.Evaluated(template).Properties()
            .Where(p => ((string?)p.Value ?? "").Contains("listKeys(", StringComparison.Ordinal)).Select(p => p.Name).OrderBy(n => n).ToArray();
        CollectionAssert.AreEqual(new[] { "AzureWebJobsStorage", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING" }, settingsUsingIt);
    }

    [TestMethod]
    public void A_second_listKeys_anywhere_in_the_template_is_found()
    {
        var compiled = (JObject)Bicep.CompiledInfrastructure.MainTemplateJson().DeepClone();
        var storage = Bicep.CompiledInfrastructure.ModuleTemplate(compiled, "storage");
        storage["variables"] = new JObject { ["lakeConnection"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', parameters('lakeStorageAccountName')), '2023-05-01').keys[0].value]" };

        CollectionAssert.AreEquivalent(new[] { "logicapp: Microsoft.Web/sites/config", "storage: variables.lakeConnection" },
            ListKeysUses(new ArmTemplate(compiled)).ToArray());
    }

    [TestMethod]
    public void Key_Vault_uses_RBAC_and_the_SAP_secrets_reach_the_app_only_as_Key_Vault_references()
    {
        var template = RepositoryFiles.MainTemplate();
        var resources = template.ExpandResources();
        Assert.IsTrue((bool)resources.Single(r => r.Type == "Microsoft.KeyVault/vaults").Json.SelectToken("properties.enableRbacAuthorization")!);

        var settings = AppSettings.Evaluated(template);
        var vault = (string)template.Variable("names")["keyVault"]!;
        Assert.AreEqual($"@Microsoft.KeyVault(VaultName={vault};SecretName=sap-user-name)", (string?)settings["sap_userName"]);
        Assert.AreEqual($"@Microsoft.KeyVault(VaultName={vault};SecretName=sap-password)", (string?)settings["sap_password"]);

        // The identity that resolves references must be able to read exactly those secrets.
        var referenceIdentity = ((string)resources.Single(r => r.Type == "Microsoft.Web/sites").Json.SelectToken("properties.keyVaultReferenceIdentity")!).Split('/')[^1];
        var readable = RoleMatrix.Grants(resources).Where(g => g.Identity == referenceIdentity && g.Role == "Key Vault Secrets User").Select(g => g.Scope).OrderBy(s => s).ToArray();
        CollectionAssert.AreEqual(new[] { "secret sap-password", "secret sap-user-name" }, readable);
    }

    [TestMethod]
    public void Secrets_enter_the_deployment_only_as_secure_parameters_without_defaults()
    {
        var parameters = (JObject)RepositoryFiles.MainTemplate().Json["parameters"]!;
        foreach (var name in new[] { "sapUserName", "sapPassword", "twilioAuthToken" })
        {
            Assert.AreEqual("securestring", (string?)parameters[name]!["type"], name);
            Assert.IsTrue(string.IsNullOrEmpty((string?)parameters[name]!["defaultValue"]), name);
        }
    }

    [TestMethod]
    public void No_file_under_deploy_contains_a_key_signature_or_password_literal()
    {
        var findings = SecretScan.Find(RepositoryRoot.FullPath, SecretScan.DeploymentFolder);
        Assert.IsEmpty(findings, string.Join("\n", findings));
    }

    [TestMethod]
    public void The_secret_scanner_recognises_connection_strings_and_ignores_expressions()
    {
        Assert.HasCount(1, SecretScan.FindInText("Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=root;" + "SharedAccess" + "Key=AbCdEf0123456789xyz=", "fixture", deploymentFile: true));
        Assert.HasCount(1, SecretScan.FindInText("DefaultEndpointsProtocol=https;AccountName=a;" + "Account" + "Key=QUJDREVGR0hJSktMTU5PUA==", "fixture", deploymentFile: true));
        Assert.HasCount(1, SecretScan.FindInText("\"password\": \"Sup3rSecretValue\"", "fixture", deploymentFile: true));
        Assert.IsEmpty(SecretScan.FindInText("AccountKey={1};EndpointSuffix={2}", "fixture", deploymentFile: true));
        Assert.IsEmpty(SecretScan.FindInText("\"value\": \"[parameters('sapPassword')]\"", "fixture", deploymentFile: true));
        Assert.IsEmpty(SecretScan.FindInText("\"sap_password\": \"@Microsoft.KeyVault(VaultName=kv;SecretName=sap-password)\"", "fixture", deploymentFile: true));
    }

    /// <summary>Where listKeys(...) occurs in the compiled template and its modules, as "module: variables.&lt;name&gt;" or "module: resources[i]".</summary>
    private static IEnumerable<string> ListKeysUses(ArmTemplate entry) =>
        entry.SelfAndModules().SelectMany(template =>
        {
            var own = (JObject)template.Json.DeepClone();
            // A module's content is reported under the module, not under the deployment resource that carries it.
            foreach (var deployment in (own["resources"] as JArray ?? []).Where(r => (string?)r["type"] == "Microsoft.Resources/deployments")) deployment["properties"]!["template"] = new JObject();
            return own.Descendants().OfType<JValue>()
                .Where(v => v.Type == JTokenType.String && Regex.IsMatch((string)v!, @"\blistKeys\s*\(", RegexOptions.IgnoreCase))
                .Select(v => $"{template.DeploymentPath}: " + (v.Path.StartsWith("variables.", StringComparison.Ordinal)
                    ? string.Join('.', v.Path.Split('.').Take(2))
                    : (string?)own.SelectToken(v.Path.Split('.')[0])?["type"] ?? v.Path.Split('.')[0]));
        }).Distinct();
}
