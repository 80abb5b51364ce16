namespace ServiceBus.Local.Tests.Infrastructure;

/// <summary>A spec's broker database on disk: the SQLite file and the write-ahead log and shared memory beside it.</summary>
internal static class BrokerDatabaseFiles
{
    /// <summary>Deletes the database and its WAL files; a file still held open stays (the next run's path is new).</summary>
    public static void Delete(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(path + suffix); } catch (IOException) { }
        }
    }
}
