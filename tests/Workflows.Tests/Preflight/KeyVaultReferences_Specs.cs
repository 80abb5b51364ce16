using Cli.Iac;
using Cli.Preflight.Iac;
using Cli.Preflight.Settings;
using Newtonsoft.Json.Linq;

namespace Workflows.Tests.Preflight;

/// <summary>Learn, "Use Key Vault references as app settings", Reference syntax.</summary>
[TestClass]
public sealed class KeyVaultReferences_Specs
{
    [TestMethod]
    [DataRow("@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/sap-password/)")]
    [DataRow("@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/secrets/sap-password/ec96f02080254f109c51a1f14cdb1931)")]
    [DataRow("@Microsoft.KeyVault(VaultName=kv-orders;SecretName=sap-password)")]
    [DataRow("@Microsoft.KeyVault(VaultName=kv-orders;SecretName=sap-password;SecretVersion=ec96f02080254f109c51a1f14cdb1931)")]
    [DataRow("@Microsoft.KeyVault(SecretUri=⟪reference(kv/secrets/sap-password).secretUri⟫)")]
    public void Documented_forms_are_valid(string reference) => Assert.IsNull(KeyVaultReferences.Check(reference));

    [TestMethod]
    [DataRow("@Microsoft.KeyVault(VaultName=kv-orders,SecretName=sap-password)", "SecretName is required")]
    [DataRow("@Microsoft.KeyVault(VaultName=kv-orders)", "SecretName is required")]
    [DataRow("@Microsoft.KeyVault(SecretName=sap-password)", "VaultName (or SecretUri) is required")]
    [DataRow("@Microsoft.KeyVault(VaultName=kv-orders;SecretName=sap_password)", "SecretName 'sap_password'")]
    [DataRow("@Microsoft.KeyVault(VaultName=1kv;SecretName=sap-password)", "VaultName '1kv'")]
    [DataRow("@Microsoft.KeyVault(SecretUri=https://kv-orders.vault.azure.net/keys/sap-password)", "is not https://")]
    [DataRow("@Microsoft.KeyVault(SecretUri=http://kv-orders.vault.azure.net/secrets/sap-password)", "is not https://")]
    [DataRow("@microsoft.keyvault(VaultName=kv-orders;SecretName=sap-password)", "with that casing")]
    [DataRow("@Microsoft.KeyVault(VaultName=kv-orders;SecretName=a;Secret=b)", "'Secret' is not")]
    public void Malformed_references_say_what_is_wrong(string reference, string reason) =>
        StringAssert.Contains(KeyVaultReferences.Check(reference), reason);

    [TestMethod]
    public void A_malformed_reference_in_the_IaC_is_reported_naming_the_setting()
    {
        using var fixture = new PreflightFixture();
        var template = IacFixtures.LogicApp(new JObject { ["sap_password"] = "[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', 'kv-orders', 'sap_password')]" });
        var problems = KeyVaultReferences.Find(Cli.Preflight.AppContent.FromWorkingTree(fixture.Project), LogicAppSettingsInIac.Read(template));
        PreflightAssert.Single(problems, "test-template.json", "the app setting 'sap_password' is not a valid Key Vault reference: SecretName 'sap_password'");
    }

    [TestMethod]
    public void The_repository_s_IaC_references_pass()
    {
        using var fixture = new PreflightFixture();
        var iac = LogicAppSettingsInIac.Read(IacTemplate.Load(fixture.Project));
        Assert.IsTrue(iac.Settings.Values.Any(v => v.Type == JTokenType.String && ((string)v!).StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal)),
            "the repository's IaC resolves the SAP logon through Key Vault references; the check must see them");
        PreflightAssert.None(KeyVaultReferences.Find(Cli.Preflight.AppContent.FromWorkingTree(fixture.Project), iac));
    }

    [TestMethod]
    public void A_reference_in_connections_json_is_reported()
    {
        using var fixture = new PreflightFixture();
        fixture.Repository.EditJson("connections.json", c => c.SelectToken("serviceProviderConnections.sap.parameterValues")!["password"] = "@Microsoft.KeyVault(VaultName=kv-orders;SecretName=sap-password)");
        PreflightAssert.Single(fixture.Problems(), "connections.json", "only app settings resolve them");
    }
}
