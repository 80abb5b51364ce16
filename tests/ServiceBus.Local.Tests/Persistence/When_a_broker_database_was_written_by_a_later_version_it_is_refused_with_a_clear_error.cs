using Microsoft.Data.Sqlite;
using ServiceBus.Local.Persistence;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A database whose format number (<c>PRAGMA user_version</c>) is beyond what this version reads is refused
/// before anything is read or written: the error names the file and both formats, and the file is left as it was.</summary>
[TestClass]
public sealed class When_a_broker_database_was_written_by_a_later_version_it_is_refused_with_a_clear_error
{
    [TestMethod]
    public void Opening_it_throws_and_leaves_the_file_untouched()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sb-later-format-{Guid.NewGuid():N}.db");
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"CREATE TABLE future (x); PRAGMA user_version = {SqliteMessageStore.SchemaVersion + 1};";
                command.ExecuteNonQuery();
            }

            var error = Assert.ThrowsExactly<UnsupportedDatabaseException>(() => new SqliteMessageStore(path));

            StringAssert.Contains(error.Message, path);
            StringAssert.Contains(error.Message, $"format {SqliteMessageStore.SchemaVersion + 1}");
            StringAssert.Contains(error.Message, $"formats up to {SqliteMessageStore.SchemaVersion}");
            using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            check.Open();
            using var tables = check.CreateCommand();
            tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
            Assert.AreEqual("future", tables.ExecuteScalar(), "nothing was created in the refused database");
        }
        finally
        {
            BrokerDatabaseFiles.Delete(path);
        }
    }
}
