using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

[TestClass]
public sealed class StorageAccountKey_Specs
{
    [TestMethod]
    public void Use_development_storage_means_the_azurite_account_on_its_default_blob_port()
    {
        var account = StorageAccountKey.Parse("UseDevelopmentStorage=true");

        Assert.AreEqual("devstoreaccount1", account.AccountName);
        Assert.AreEqual(new Uri("http://127.0.0.1:10000/devstoreaccount1"), account.BlobEndpoint);
        Assert.AreEqual(64, account.Key.Length, "the documented 512-bit development key");
    }

    [TestMethod]
    public void A_development_storage_proxy_keeps_the_blob_port_and_the_account_path()
    {
        var account = StorageAccountKey.Parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://azurite");

        Assert.AreEqual(new Uri("http://azurite:10000/devstoreaccount1"), account.BlobEndpoint);
    }

    [TestMethod]
    public void An_account_key_connection_string_builds_the_blob_endpoint_from_protocol_and_suffix()
    {
        var key = Convert.ToBase64String(new byte[] { 1, 2, 3 });

        var azure = StorageAccountKey.Parse($"DefaultEndpointsProtocol=https;AccountName=ordersdata;AccountKey={key};EndpointSuffix=core.windows.net");
        var explicitEndpoint = StorageAccountKey.Parse($"AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1;");

        Assert.AreEqual(new Uri("https://ordersdata.blob.core.windows.net"), azure.BlobEndpoint);
        Assert.AreEqual(new Uri("http://127.0.0.1:41000/devstoreaccount1"), explicitEndpoint.BlobEndpoint);
    }

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow("AccountName=a", "no AccountKey")]
    [DataRow("AccountKey={secret-value}", "no AccountName")]
    [DataRow("AccountName=a;AccountKey={secret-value}", "not base64")]
    [DataRow("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=secret-value", "SAS connection strings are not supported")]
    [DataRow("garbage", "without 'name=value'")]
    public void An_unusable_connection_string_is_reported_by_setting_name_without_echoing_values(string connectionString, string expected)
    {
        var ex = Assert.ThrowsExactly<FormatException>(() => StorageAccountKey.Parse(connectionString));

        StringAssert.Contains(ex.Message, expected);
        Assert.IsFalse(ex.Message.Contains("secret-value", StringComparison.Ordinal));
    }

    [TestMethod]
    public void The_account_description_never_shows_the_key()
    {
        var account = StorageAccountKey.Parse("UseDevelopmentStorage=true");

        Assert.AreEqual("devstoreaccount1 at http://127.0.0.1:10000/devstoreaccount1 (SharedKey)", account.ToString());
    }
}
