using LocalLogicApp.History;
using Microsoft.Data.Sqlite;
using ObjectStore.Local;

namespace LocalLogicApp.Hosting;

/// <summary>
/// The SQLite files of a state folder (the host's, or the one a verb is pointed at with <c>--state DIR</c>), looked at
/// read-only before the broker, the run history or the storage opens them: those create their tables in whatever file
/// they are given, so a folder holding garbage would crash them and a database of another kind would get the broker's
/// tables written into it. A file of the wrong kind is refused naming it, with nothing written.
/// </summary>
public static class StateDatabases
{
    /// <summary>The broker's messages (<c>servicebus.db</c>).</summary>
    public static readonly StateDatabase Broker = new(LocalLogicAppHost.BrokerDatabaseFile, "messages", "the local broker's state");

    /// <summary>The run history (<c>runs.db</c>).</summary>
    public static readonly StateDatabase RunHistory = new(RunHistoryFile.FileName, "runs", "the local run history");

    /// <summary>The custom code's storage, the local lake among it (<c>storage.db</c>).</summary>
    public static readonly StateDatabase Storage = new(SqliteObjectStore.DefaultFileName, "objects", "the local storage");

    /// <summary>Throws <see cref="IOException"/> naming the first of <paramref name="databases"/> in
    /// <paramref name="stateFolder"/> that is there and is not what its name says; a missing one is fine (it is created).</summary>
    public static void Check(string stateFolder, params StateDatabase[] databases)
    {
        foreach (var database in databases)
        {
            if (database.ProblemIn(stateFolder) is { } problem) throw new IOException(problem);
        }
    }
}

/// <param name="FileName">The file in the state folder.</param>
/// <param name="Table">A table every database of this kind has.</param>
/// <param name="Description">What it holds, for the message.</param>
public sealed record StateDatabase(string FileName, string Table, string Description)
{
    /// <summary>Why the file in <paramref name="stateFolder"/> cannot be used, or null when it can (or is not there).</summary>
    public string? ProblemIn(string stateFolder)
    {
        var path = Path.Combine(stateFolder, FileName);
        if (Directory.Exists(path)) return $"{path} is a folder; it should be {Description} (a SQLite file). Use another state folder, or move it away.";
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return null;
        List<string> tables;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            tables = [];
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        catch (SqliteException ex)
        {
            return $"{path} is not {Description}: SQLite cannot read it ({ex.Message.TrimEnd('.')}). Nothing was changed; move the file away, or use another state folder.";
        }
        if (tables.Count == 0 || tables.Contains(Table, StringComparer.OrdinalIgnoreCase)) return null;
        return $"{path} is a SQLite database of another kind (tables {string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", ..." : "")}), not {Description}. " +
               "Nothing was changed; move the file away, or use another state folder.";
    }
}
