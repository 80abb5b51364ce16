using Microsoft.Data.Sqlite;

namespace ServiceBus.Local.Persistence;

/// <summary>
/// Durable state in one SQLite file: every broker operation commits in one transaction, so a restart (or a crash
/// between operations) loses nothing that was acknowledged.
/// </summary>
public sealed class SqliteMessageStore : IMessageStore
{
    private readonly SqliteConnection connection;
    private readonly object gate = new();

    public SqliteMessageStore(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS messages (storage_path TEXT NOT NULL COLLATE NOCASE, sequence_number INTEGER NOT NULL, document TEXT NOT NULL, PRIMARY KEY (storage_path, sequence_number));
            CREATE TABLE IF NOT EXISTS sequences (entity_path TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, last_sequence INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS duplicates (entity_path TEXT NOT NULL COLLATE NOCASE, message_id TEXT NOT NULL, expires_at TEXT NOT NULL, sequence_number INTEGER NOT NULL, PRIMARY KEY (entity_path, message_id));
            CREATE TABLE IF NOT EXISTS session_states (entity_path TEXT NOT NULL COLLATE NOCASE, session_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (entity_path, session_id));
            """);
    }

    private void Execute(string sql, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public StoreSnapshot Load()
    {
        lock (gate)
        {
            var snapshot = new StoreSnapshot();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT storage_path, sequence_number, document FROM messages";
                using var r = cmd.ExecuteReader();
                while (r.Read()) snapshot.Messages.Add(new StoredMessage(r.GetString(0), r.GetInt64(1), r.GetString(2)));
            }
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT entity_path, last_sequence FROM sequences";
                using var r = cmd.ExecuteReader();
                while (r.Read()) snapshot.Sequences[r.GetString(0)] = r.GetInt64(1);
            }
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT entity_path, message_id, expires_at, sequence_number FROM duplicates";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    snapshot.Duplicates.Add(new StoredDuplicate(r.GetString(0), r.GetString(1), DateTimeOffset.Parse(r.GetString(2), System.Globalization.CultureInfo.InvariantCulture), r.GetInt64(3)));
            }
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT entity_path, session_id, state FROM session_states";
                using var r = cmd.ExecuteReader();
                while (r.Read()) snapshot.SessionStates.Add(new StoredSessionState(r.GetString(0), r.GetString(1), (byte[])r.GetValue(2)));
            }
            return snapshot;
        }
    }

    public void Commit(StoreChangeSet changes)
    {
        if (changes.IsEmpty) return;
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            foreach (var (path, seq) in changes.DeleteMessages)
                Execute("DELETE FROM messages WHERE storage_path = $p AND sequence_number = $s", tx, ("$p", path), ("$s", seq));
            foreach (var m in changes.UpsertMessages)
                Execute("INSERT INTO messages (storage_path, sequence_number, document) VALUES ($p, $s, $d) ON CONFLICT (storage_path, sequence_number) DO UPDATE SET document = excluded.document",
                    tx, ("$p", m.StoragePath), ("$s", m.SequenceNumber), ("$d", m.Document));
            foreach (var (path, last) in changes.Sequences)
                Execute("INSERT INTO sequences (entity_path, last_sequence) VALUES ($p, $l) ON CONFLICT (entity_path) DO UPDATE SET last_sequence = excluded.last_sequence",
                    tx, ("$p", path), ("$l", last));
            foreach (var (path, id) in changes.DeleteDuplicates)
                Execute("DELETE FROM duplicates WHERE entity_path = $p AND message_id = $m", tx, ("$p", path), ("$m", id));
            foreach (var d in changes.UpsertDuplicates)
                Execute("INSERT INTO duplicates (entity_path, message_id, expires_at, sequence_number) VALUES ($p, $m, $e, $s) ON CONFLICT (entity_path, message_id) DO UPDATE SET expires_at = excluded.expires_at, sequence_number = excluded.sequence_number",
                    tx, ("$p", d.EntityPath), ("$m", d.MessageId), ("$e", d.ExpiresAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture)), ("$s", d.SequenceNumber));
            foreach (var (path, id) in changes.DeleteSessionStates)
                Execute("DELETE FROM session_states WHERE entity_path = $p AND session_id = $i", tx, ("$p", path), ("$i", id));
            foreach (var s in changes.UpsertSessionStates)
                Execute("INSERT INTO session_states (entity_path, session_id, state) VALUES ($p, $i, $s) ON CONFLICT (entity_path, session_id) DO UPDATE SET state = excluded.state",
                    tx, ("$p", s.EntityPath), ("$i", s.SessionId), ("$s", s.State));
            tx.Commit();
        }
    }

    public void Dispose()
    {
        lock (gate) connection.Dispose();
    }
}
