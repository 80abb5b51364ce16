using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>Connection strings reach the Blob SDK's own parser; what the store adds is errors that name the problem
/// and never repeat the value (it holds a key).</summary>
[TestClass]
public sealed class When_a_storage_connection_string_is_read_its_endpoint_is_used_and_its_value_never_shown
{
    [TestMethod]
    public void Use_development_storage_means_the_azurite_account_on_its_default_blob_port()
    {
        var store = BlobObjectStore.FromConnectionString("UseDevelopmentStorage=true");

        Assert.AreEqual(new Uri("http://127.0.0.1:10000/devstoreaccount1"), store.ServiceUri);
    }

    [TestMethod]
    public void An_account_key_connection_string_builds_the_blob_endpoint_from_protocol_and_suffix_or_takes_it_as_given()
    {
        var key = Convert.ToBase64String(new byte[] { 1, 2, 3 });

        var azure = BlobObjectStore.FromConnectionString($"DefaultEndpointsProtocol=https;AccountName=ordersdata;AccountKey={key};EndpointSuffix=core.windows.net");
        var explicitEndpoint = BlobObjectStore.FromConnectionString($"AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1;");

        Assert.AreEqual(new Uri("https://ordersdata.blob.core.windows.net/"), azure.ServiceUri);
        Assert.AreEqual(new Uri("http://127.0.0.1:41000/devstoreaccount1"), explicitEndpoint.ServiceUri);
    }

    [TestMethod]
    public void A_sas_connection_string_is_accepted_and_its_token_is_not_part_of_the_endpoint_shown()
    {
        var store = BlobObjectStore.FromConnectionString("BlobEndpoint=https://ordersdata.blob.core.windows.net;SharedAccessSignature=sv=2022-11-02&sig=secret-value");

        Assert.AreEqual(new Uri("https://ordersdata.blob.core.windows.net/"), store.ServiceUri);
    }

    [TestMethod]
    public void The_development_connection_string_for_another_port_reaches_that_port()
    {
        var connectionString = DevelopmentStorage.ConnectionString(new Uri("http://127.0.0.1:41001/devstoreaccount1"));

        Assert.AreEqual(new Uri("http://127.0.0.1:41001/devstoreaccount1"), BlobObjectStore.FromConnectionString(connectionString).ServiceUri);
    }

    [TestMethod]
    [DataRow("", "not an account connection string")]
    [DataRow("AccountName=a", "not an account connection string")]
    [DataRow("AccountKey={secret-value}", "not an account connection string")]
    [DataRow("AccountName=a;AccountKey={secret-value}", "base64 AccountKey")]
    [DataRow("garbage-secret-value", "not an account connection string")]
    public void An_unusable_connection_string_is_reported_without_echoing_values(string connectionString, string expected)
    {
        var ex = Assert.ThrowsExactly<FormatException>(() => BlobObjectStore.FromConnectionString(connectionString));

        StringAssert.Contains(ex.Message, expected);
        Assert.IsFalse(ex.Message.Contains("secret-value", StringComparison.Ordinal));
        Assert.IsNull(ex.InnerException, "the SDK's exception may quote the value; it is not passed on");
    }
}
