using Microsoft.Data.Sqlite;

namespace ServiceBus.Local.Persistence;

/// <summary>
/// Durable state in one SQLite file: the broker's writer commits each batch of operations in one transaction and
/// acknowledges them only then, so a restart, or the broker's process being killed (SIGKILL), loses nothing that was
/// acknowledged. Message bodies are a BLOB column beside the JSON document: written with the message, kept when a
/// change passes no body (a lock or a settlement), read back with the document, one message at a time, by <see cref="ReadMessage"/>. WAL mode with
/// <c>synchronous=NORMAL</c>: a committed transaction is in the WAL file when the call returns, so it survives the
/// process; only a power loss or an OS crash can roll back the last ones (https://www.sqlite.org/pragma.html#pragma_synchronous,
/// https://www.sqlite.org/wal.html "Performance Considerations"). <c>FULL</c> syncs the WAL on every commit, under the
/// broker's lock: every send, receive and settlement then waited for the disk (most of a simulated day's time).
/// (Commits now run on the writer thread, outside that lock; NORMAL still keeps the fsync off the path.)
/// The statements are prepared once and reused. One process owns a broker database at a time (the local host claims it,
/// tools that open it refuse while it is claimed), so the file is locked once, exclusively, instead of taking and releasing
/// file locks on every transaction (https://www.sqlite.org/pragma.html#pragma_locking_mode): a second opener is refused
/// with SQLITE_BUSY until the first closes.
/// The write-ahead log is checkpointed every <see cref="CheckpointPages"/> pages instead of SQLite's default 1,000
/// (https://www.sqlite.org/pragma.html#pragma_wal_autocheckpoint): a checkpoint runs inside the commit that crosses the
/// threshold, on the writer thread, and with <c>synchronous=NORMAL</c> it is the only place that waits for the disk (an
/// fsync of the log, then of the database), so every operation of that batch, and every one queued behind it, waits for
/// it. The broker rewrites the same few pages over and over (messages come and go), so a longer interval copies each page
/// once for many commits: fewer checkpoints, fewer fsyncs, less copying.
/// </summary>
public sealed class SqliteMessageStore : IMessageStore
{
    /// <summary>WAL pages between automatic checkpoints (4 KB pages: a log of up to about 32 MB).</summary>
    public const int CheckpointPages = 8_000;

    private readonly SqliteConnection connection;
    private readonly object gate = new();
    private readonly Dictionary<string, SqliteCommand> prepared = new(StringComparer.Ordinal);
    private SqliteCommand? readMessage;

    public SqliteMessageStore(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute($"""
            PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA wal_autocheckpoint = {CheckpointPages};
            CREATE TABLE IF NOT EXISTS messages (storage_path TEXT NOT NULL COLLATE NOCASE, sequence_number INTEGER NOT NULL, document TEXT NOT NULL, body BLOB, PRIMARY KEY (storage_path, sequence_number));
            CREATE TABLE IF NOT EXISTS sequences (entity_path TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, last_sequence INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS duplicates (entity_path TEXT NOT NULL COLLATE NOCASE, message_id TEXT NOT NULL, expires_at TEXT NOT NULL, sequence_number INTEGER NOT NULL, PRIMARY KEY (entity_path, message_id));
            CREATE TABLE IF NOT EXISTS session_states (entity_path TEXT NOT NULL COLLATE NOCASE, session_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (entity_path, session_id));
            """);
        // Databases written before bodies moved beside the documents: add the column; their documents keep the body,
        // which the broker rewrites into the column when it loads them.
        using (var columns = connection.CreateCommand())
        {
            columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name = 'body'";
            if (Convert.ToInt64(columns.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                Execute("ALTER TABLE messages ADD COLUMN body BLOB");
        }
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
                Run(tx, "DELETE FROM messages WHERE storage_path = $p AND sequence_number = $s", path, seq);
            foreach (var m in changes.UpsertMessages)
                Run(tx, "INSERT INTO messages (storage_path, sequence_number, document, body) VALUES ($p, $s, $d, $e) ON CONFLICT (storage_path, sequence_number) DO UPDATE SET document = excluded.document, body = COALESCE(excluded.body, messages.body)",
                    m.StoragePath, m.SequenceNumber, m.Document, m.Body);
            foreach (var (path, last) in changes.Sequences)
                Run(tx, "INSERT INTO sequences (entity_path, last_sequence) VALUES ($p, $s) ON CONFLICT (entity_path) DO UPDATE SET last_sequence = excluded.last_sequence",
                    path, last);
            foreach (var (path, id) in changes.DeleteDuplicates)
                Run(tx, "DELETE FROM duplicates WHERE entity_path = $p AND message_id = $d", path, null, id);
            foreach (var d in changes.UpsertDuplicates)
                Run(tx, "INSERT INTO duplicates (entity_path, message_id, expires_at, sequence_number) VALUES ($p, $d, $e, $s) ON CONFLICT (entity_path, message_id) DO UPDATE SET expires_at = excluded.expires_at, sequence_number = excluded.sequence_number",
                    d.EntityPath, d.SequenceNumber, d.MessageId, d.ExpiresAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (path, id) in changes.DeleteSessionStates)
                Run(tx, "DELETE FROM session_states WHERE entity_path = $p AND session_id = $d", path, null, id);
            foreach (var st in changes.UpsertSessionStates)
                Run(tx, "INSERT INTO session_states (entity_path, session_id, state) VALUES ($p, $d, $e) ON CONFLICT (entity_path, session_id) DO UPDATE SET state = excluded.state",
                    st.EntityPath, null, st.SessionId, st.State);
            tx.Commit();
        }
    }

    public StoredMessage? ReadMessage(string storagePath, long sequenceNumber)
    {
        lock (gate)
        {
            if (readMessage is null)
            {
                readMessage = connection.CreateCommand();
                readMessage.CommandText = "SELECT body, document FROM messages WHERE storage_path = $p AND sequence_number = $s";
                readMessage.Parameters.Add(new SqliteParameter { ParameterName = "$p" });
                readMessage.Parameters.Add(new SqliteParameter { ParameterName = "$s" });
            }
            readMessage.Parameters["$p"].Value = storagePath;
            readMessage.Parameters["$s"].Value = sequenceNumber;
            using var r = readMessage.ExecuteReader();
            if (!r.Read()) return null;
            return new StoredMessage(storagePath, sequenceNumber, r.GetString(1), r.IsDBNull(0) ? null : (byte[])r.GetValue(0));
        }
    }

    /// <summary>Runs one of the store's statements (prepared once) with its parameters: <c>$p</c> a path, <c>$s</c> a
    /// number, <c>$d</c> and <c>$e</c> text or bytes; a parameter the statement does not name is not bound.</summary>
    private void Run(SqliteTransaction tx, string sql, string path, long? number, object? d = null, object? e = null)
    {
        if (!prepared.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in new[] { "$p", "$s", "$d", "$e" })
            {
                if (sql.Contains(name, StringComparison.Ordinal)) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            prepared[sql] = command;
        }
        command.Transaction = tx;
        foreach (SqliteParameter parameter in command.Parameters)
        {
            parameter.Value = parameter.ParameterName switch
            {
                "$p" => path,
                "$s" => number is { } n ? n : DBNull.Value,
                "$d" => d ?? DBNull.Value,
                _ => e ?? DBNull.Value,
            };
        }
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var command in prepared.Values) command.Dispose();
            prepared.Clear();
            readMessage?.Dispose();
            connection.Dispose();
        }
    }
}
