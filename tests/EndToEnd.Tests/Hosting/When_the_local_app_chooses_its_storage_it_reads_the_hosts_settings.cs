using LocalLogicApp.Storage;
using OrderEvents.CustomCode.Storage;

namespace EndToEnd.Tests.Hosting;

/// <summary>The local app picks the custom code's store from the same <c>Storage_*</c> settings as the Azure host;
/// only the file-system default moves into the state folder.</summary>
[TestClass]
public sealed class When_the_local_app_chooses_its_storage_it_reads_the_hosts_settings
{
    private static readonly string State = Path.Combine(Path.GetTempPath(), "local-state-" + Guid.NewGuid().ToString("N"));

    [ClassCleanup]
    public static void RemoveState()
    {
        if (Directory.Exists(State)) Directory.Delete(State, recursive: true);
    }

    [TestMethod]
    public void Without_storage_settings_it_is_the_file_system_in_the_state_folder()
    {
        var store = CustomCodeStorage.CreateStore(new Dictionary<string, string>(), State);

        Assert.AreEqual(Path.Combine(State, "storage"), ((FileSystemObjectStore)store).RootDirectory);
        StringAssert.StartsWith(CustomCodeStorage.Describe(new Dictionary<string, string>(), State), "file system: ");
    }

    [TestMethod]
    public void Blob_with_the_development_connection_string_is_azurite_and_the_description_hides_the_key()
    {
        var settings = new Dictionary<string, string> { [ObjectStoreSettings.Provider] = "Blob", [ObjectStoreSettings.ConnectionString] = "UseDevelopmentStorage=true" };

        Assert.IsInstanceOfType<BlobObjectStore>(CustomCodeStorage.CreateStore(settings, State));
        Assert.AreEqual("Azurite (UseDevelopmentStorage=true)", CustomCodeStorage.Describe(settings, State));
    }

    [TestMethod]
    public void A_provider_it_does_not_know_is_refused_naming_the_setting()
    {
        var settings = new Dictionary<string, string> { [ObjectStoreSettings.Provider] = "Tape" };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => CustomCodeStorage.CreateStore(settings, State));
        StringAssert.Contains(error.Message, ObjectStoreSettings.Provider);
    }
}
