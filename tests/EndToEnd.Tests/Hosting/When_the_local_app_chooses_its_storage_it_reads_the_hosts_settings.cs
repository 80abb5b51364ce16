using LocalLogicApp.Storage;
using ObjectStore.Local;
using OrderEvents.CustomCode.Storage;

namespace EndToEnd.Tests.Hosting;

/// <summary>The local app picks the custom code's store from the same <c>Storage_*</c> settings as the Azure host;
/// its default is the local runtime's SQLite store in the state folder.</summary>
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
    public void Without_storage_settings_it_is_one_sqlite_file_in_the_state_folder()
    {
        using var store = (SqliteObjectStore)CustomCodeStorage.CreateStore(new Dictionary<string, string>(), State);

        Assert.AreEqual(Path.Combine(State, "storage.db"), store.Path);
        Assert.AreEqual("SQLite: " + Path.Combine(State, "storage.db"), CustomCodeStorage.Describe(new Dictionary<string, string>(), State));
    }

    [TestMethod]
    [DataRow("FileSystem", null)]
    [DataRow(null, "files")]
    public void The_file_system_store_is_kept_when_the_settings_ask_for_it(string? provider, string? root)
    {
        var settings = new Dictionary<string, string>();
        if (provider is not null) settings[ObjectStoreSettings.Provider] = provider;
        if (root is not null) settings[ObjectStoreSettings.FileSystemRoot] = root;

        var store = CustomCodeStorage.CreateStore(settings, State);

        Assert.AreEqual(Path.Combine(State, root ?? "storage"), ((FileSystemObjectStore)store).RootDirectory);
        StringAssert.StartsWith(CustomCodeStorage.Describe(settings, State), "file system: ");
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
        StringAssert.Contains(error.Message, "'Sqlite'");
    }
}
