using Microsoft.Data.Sqlite;
using Workflows.Runtime.History;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// A runs.db carries its format (<c>PRAGMA user_version</c>). A file a later version wrote is refused, by a host and by
/// the operators' read-only view alike, with a message that names the file and both formats, instead of each run being
/// reported unreadable (or, for a host, a file of two formats).
/// </summary>
[TestClass]
public sealed class When_a_runs_db_of_a_later_format_is_opened_it_is_refused_with_a_clear_error : RunStoreFileSpecs
{
    [TestMethod]
    public void Run()
    {
        using (var store = SqliteRunStore.Open(File)) Assert.AreEqual(0, store.Count());
        Assert.AreEqual(4L, UserVersion(), "a file this version writes carries format 4");
        using (var later = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            later.Open();
            using var command = later.CreateCommand();
            command.CommandText = "PRAGMA user_version = 5";
            command.ExecuteNonQuery();
        }

        var host = Assert.ThrowsExactly<RunStoreFormatException>(() => SqliteRunStore.Open(File));
        var reader = Assert.ThrowsExactly<RunStoreFormatException>(() => SqliteRunStore.OpenReadOnly(File));
        foreach (var refusal in new[] { host, reader })
        {
            StringAssert.Contains(refusal.Message, File);
            StringAssert.Contains(refusal.Message, "later version (format 5; this version reads formats up to 4)");
        }
        Assert.AreEqual(5L, UserVersion(), "the refused file is left as it was");
    }

    private long UserVersion()
    {
        using var connection = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }
}
