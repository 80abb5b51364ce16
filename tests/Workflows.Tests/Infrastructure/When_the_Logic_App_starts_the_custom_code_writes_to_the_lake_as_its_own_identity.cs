using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace Workflows.Tests.Infrastructure;

/// <summary>
/// The custom-code host picks its store from app settings (<see cref="ObjectStoreSettings"/>) and its containers
/// from <see cref="CustomCodeOptions.FromSettings"/>. The names are taken from the library itself, so a template that
/// spells one differently (or forgets <c>Storage_Provider</c>, leaving the host on the file-system default in Azure)
/// fails here instead of in production.
/// </summary>
[TestClass]
public sealed class When_the_Logic_App_starts_the_custom_code_writes_to_the_lake_as_its_own_identity
{
    private static readonly JObject Settings = AppSettings.Evaluated(RepositoryFiles.MainTemplate());

    [TestMethod]
    public void The_template_selects_the_blob_store_with_an_endpoint_and_the_custom_code_identity()
    {
        Assert.AreEqual("Blob", (string?)Settings[ObjectStoreSettings.Provider], $"{ObjectStoreSettings.Provider} must be 'Blob' in Azure.");
        Assert.IsFalse(string.IsNullOrWhiteSpace((string?)Settings[ObjectStoreSettings.BlobServiceUri]), $"{ObjectStoreSettings.BlobServiceUri} is not set.");
        Assert.IsFalse(string.IsNullOrWhiteSpace((string?)Settings[ObjectStoreSettings.ManagedIdentityClientId]), $"{ObjectStoreSettings.ManagedIdentityClientId} is not set.");
        Assert.IsNull(Settings[ObjectStoreSettings.ConnectionString], "Azure uses Microsoft Entra, never a storage connection string.");
    }

    [TestMethod]
    public void The_template_names_the_containers_the_custom_code_reads()
    {
        Assert.IsNotNull(Settings[CustomCodeOptions.LakeContainerSetting], $"{CustomCodeOptions.LakeContainerSetting} is not set.");
        Assert.IsNotNull(Settings[CustomCodeOptions.IdempotencyContainerSetting], $"{CustomCodeOptions.IdempotencyContainerSetting} is not set.");
    }

    [TestMethod]
    public void The_template_and_the_local_settings_declare_the_SAP_duplicate_reference_messages_with_the_librarys_default()
    {
        var name = CustomCodeOptions.SapDuplicateReferenceMessagesSetting;
        var expected = new CustomCodeOptions().SapDuplicateReferenceMessages;
        Assert.AreEqual(expected, (string?)Settings[name], $"{name} must be deployed (deploy/infra/main.bicep, workflowSettings).");
        var local = RepositoryFiles.ReadJson("local.settings.template.json");
        Assert.AreEqual(expected, (string?)local["Values"]?[name], $"{name} must be listed in local.settings.template.json.");
    }

    [TestMethod]
    public void Every_storage_setting_the_template_sets_is_one_the_library_reads()
    {
        var known = new[] { ObjectStoreSettings.Provider, ObjectStoreSettings.FileSystemRoot, ObjectStoreSettings.BlobServiceUri, ObjectStoreSettings.ManagedIdentityClientId, ObjectStoreSettings.ConnectionString };
        var unknown = Settings.Properties().Select(p => p.Name).Where(n => n.StartsWith("Storage_", StringComparison.Ordinal) && !known.Contains(n)).ToList();
        Assert.IsEmpty(unknown, "Set by the template but read by nothing: " + string.Join(", ", unknown));
    }
}
