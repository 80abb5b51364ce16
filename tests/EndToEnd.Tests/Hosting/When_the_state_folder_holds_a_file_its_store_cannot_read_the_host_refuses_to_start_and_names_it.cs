using System.Text;
using LocalLogicApp.Hosting;
using TestSupport;

namespace EndToEnd.Tests.Hosting;

/// <summary>The host's state folder (<c>.local/app</c> for <c>run</c>) holds the broker's, the run history's and the
/// storage's SQLite files. One that SQLite cannot read (garbage, a truncated copy) or a database of another kind is
/// refused before anything starts, naming the file, and left as it was: it used to crash the host with an unhandled
/// SqliteException (or get the broker's tables written into it).</summary>
[TestClass]
public sealed class When_the_state_folder_holds_a_file_its_store_cannot_read_the_host_refuses_to_start_and_names_it
{
    private string state = null!;

    [TestInitialize]
    public void CreateState() => state = Directory.CreateTempSubdirectory("garbage-state-").FullName;

    [TestCleanup]
    public void RemoveState() => Directory.Delete(state, recursive: true);

    private Task<LocalLogicAppHost> Start() => LocalLogicAppHost.StartAsync(new LocalHostOptions { ProjectRoot = RepositoryRoot.FullPath, StateFolder = state });

    [TestMethod]
    [DataRow("servicebus.db", "the local broker's state")]
    [DataRow("runs.db", "the local run history")]
    [DataRow("storage.db", "the local storage")]
    public async Task A_file_that_is_not_a_database_is_named_and_kept_as_it_was(string file, string what)
    {
        var path = Path.Combine(state, file);
        File.WriteAllText(path, "not a database, just text");

        var refused = await Assert.ThrowsExactlyAsync<IOException>(Start);

        StringAssert.Contains(refused.Message, path);
        StringAssert.Contains(refused.Message, $"is not {what}");
        StringAssert.Contains(refused.Message, "Nothing was changed");
        Assert.AreEqual("not a database, just text", File.ReadAllText(path, Encoding.UTF8));
    }
}
