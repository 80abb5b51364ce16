using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

[TestClass]
public sealed class ObjectStoreSettings_Specs
{
    private static Func<string, string?> Settings(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [TestMethod]
    public void Without_settings_the_file_system_store_under_the_app_root_is_the_default()
    {
        var appRoot = Path.Combine(Path.GetTempPath(), "app-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = ObjectStoreSettings.CreateObjectStore(Settings(), appRoot);

            Assert.AreEqual(Path.Combine(appRoot, ".local", "storage"), ((FileSystemObjectStore)store).RootDirectory);
        }
        finally
        {
            if (Directory.Exists(appRoot)) Directory.Delete(appRoot, recursive: true);
        }
    }

    [TestMethod]
    public void Blob_with_a_service_uri_uses_microsoft_entra_and_with_a_connection_string_uses_shared_key()
    {
        var entra = ObjectStoreSettings.CreateObjectStore(Settings(("Storage_Provider", "Blob"), ("Storage_BlobServiceUri", "https://ordersdata.blob.core.windows.net")), ".");
        var azurite = ObjectStoreSettings.CreateObjectStore(Settings(("Storage_Provider", "blob"), ("Storage_ConnectionString", "UseDevelopmentStorage=true")), ".");

        Assert.IsInstanceOfType<BlobObjectStore>(entra);
        Assert.IsInstanceOfType<BlobObjectStore>(azurite);
    }

    [TestMethod]
    [DataRow("Storage_Provider", "S3", "Storage_Provider")]
    [DataRow("Storage_BlobServiceUri", "http://insecure.example", "Storage_BlobServiceUri")]
    [DataRow("Storage_ConnectionString", "AccountName=a;AccountKey=!!", "Storage_ConnectionString")]
    [DataRow("Storage_Nothing", "", "neither Storage_BlobServiceUri")]
    public void Unusable_settings_name_the_setting_to_fix(string name, string value, string expected)
    {
        var settings = name == "Storage_Provider" ? Settings((name, value)) : Settings(("Storage_Provider", "Blob"), (name, value));

        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ObjectStoreSettings.CreateObjectStore(settings, "."));

        StringAssert.Contains(ex.Message, expected);
    }
}
