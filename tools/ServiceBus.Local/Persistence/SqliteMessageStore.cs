using Microsoft.Data.Sqlite;
using Sqlite.Native;
using SQLitePCL;

namespace ServiceBus.Local.Persistence;

/// <summary>
/// Durable state in one SQLite file: the broker's writer commits each batch of operations in one transaction and
/// acknowledges them only then, so a restart, or the broker's process being killed (SIGKILL), loses nothing that was
/// acknowledged. A message's body is written once per place (the broker passes it with the first write only; a lock,
/// renewal, abandon or deferral passes the document alone): a body that fits in the message's row with its document
/// (about a page, 4 KB) is a BLOB column of that row, a larger one a row of <c>message_bodies</c>. SQLite rewrites a
/// whole row on any update, overflow pages included (https://www.sqlite.org/fileformat2.html#b_tree_pages), so a large
/// body in the row was written again by every change of its message's state; a small one costs nothing more there (the
/// row's page is written anyway), while a table of its own costs two more B-tree pages per send and per settlement
/// (measured: benchmark broker and a simulated day wrote 17–31 % more to the log with every body apart). Documents are
/// JSON (UTF-8, a BLOB; text in databases of earlier versions, read alike); <see cref="ReadMessage"/> reads a message
/// back whole, one at a time. WAL mode with
/// <c>synchronous=NORMAL</c>: a committed transaction is in the WAL file when the call returns, so it survives the
/// process; only a power loss or an OS crash can roll back the last ones (https://www.sqlite.org/pragma.html#pragma_synchronous,
/// https://www.sqlite.org/wal.html "Performance Considerations"). <c>FULL</c> syncs the WAL on every commit, under the
/// broker's lock: every send, receive and settlement then waited for the disk (most of a simulated day's time).
/// (Commits now run on the writer thread, outside that lock; NORMAL still keeps the fsync off the path.)
/// The writer's statements are prepared once and run through SQLite's own API (SQLitePCLRaw: bind, step, reset), as is
/// the transaction around them: Microsoft.Data.Sqlite creates a data reader for every statement it runs and prepares
/// <c>BEGIN</c> and <c>COMMIT</c> again for every transaction. One process owns a broker database at a time (the local host claims it,
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

    /// <summary>The database format this version writes (<c>PRAGMA user_version</c>): 3, large bodies in
    /// <c>message_bodies</c>. 2: every body in its message's row; 0: the versions before (documents as text, bodies in
    /// the document in the oldest). Earlier formats are read as they are (their bodies stay where they are; the table is
    /// added); a database of a later version is refused with <see cref="UnsupportedDatabaseException"/> (an earlier
    /// version would not see the bodies kept apart).</summary>
    public const int SchemaVersion = 3;

    private readonly SqliteConnection connection;
    private readonly object gate = new();
    private readonly WriterStatements statements;
    private readonly long pageSize;
    private readonly int rowBytesInline;

    /// <summary>Room in a page for a row's key (storage path, sequence number), record header and cell header: a document
    /// and body together larger than the page less this go apart (https://www.sqlite.org/fileformat2.html#b_tree_pages:
    /// a table row of up to the page size less 35 bytes is kept whole in its page, a larger one spills into overflow
    /// pages).</summary>
    private const int RowOverhead = 256;
    private SqliteCommand? readMessage;

    public SqliteMessageStore(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        RefuseLaterVersions(path);
        Execute($"""
            PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA wal_autocheckpoint = {CheckpointPages};
            CREATE TABLE IF NOT EXISTS messages (storage_path TEXT NOT NULL COLLATE NOCASE, sequence_number INTEGER NOT NULL, document TEXT NOT NULL, body BLOB, PRIMARY KEY (storage_path, sequence_number));
            CREATE TABLE IF NOT EXISTS message_bodies (storage_path TEXT NOT NULL COLLATE NOCASE, sequence_number INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (storage_path, sequence_number));
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
        Execute($"PRAGMA user_version = {SchemaVersion}");
        using (var size = connection.CreateCommand())
        {
            size.CommandText = "PRAGMA page_size";
            pageSize = Convert.ToInt64(size.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        rowBytesInline = (int)pageSize - RowOverhead;
        statements = new WriterStatements(connection.Handle!);
    }

    /// <summary>Bytes this store has appended to the write-ahead log since it was opened: the pages its commits wrote
    /// (SQLite's <c>SQLITE_DBSTATUS_CACHE_WRITE</c>, https://www.sqlite.org/c3ref/c_dbstatus_options.html), each a frame
    /// of the page plus its 24-byte header (https://www.sqlite.org/fileformat2.html#walformat). Checkpoints, which copy
    /// pages from the log into the database, are not counted. A figure for benchmarks.</summary>
    public long WalBytesWritten
    {
        get
        {
            lock (gate)
            {
                raw.sqlite3_db_status(connection.Handle!, raw.SQLITE_DBSTATUS_CACHE_WRITE, out var pages, out _, 0);
                return pages * (pageSize + 24);
            }
        }
    }

    private void RefuseLaterVersions(string path)
    {
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        var found = Convert.ToInt64(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (found <= SchemaVersion) return;
        connection.Dispose();
        throw new UnsupportedDatabaseException(
            $"The broker database '{path}' was written by a later version of the local broker (format {found}; this version reads formats up to {SchemaVersion}). Open it with that version, or start from an empty state folder.");
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
                // Documents are UTF-8 text either way: a BLOB (this version) or TEXT (earlier ones) reads as its bytes.
                while (r.Read()) snapshot.Messages.Add(new StoredMessage(r.GetString(0), r.GetInt64(1), r.GetFieldValue<byte[]>(2)));
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
            var w = statements;
            w.Begin.Run();
            try
            {
                foreach (var (path, seq) in changes.DeleteMessages)
                {
                    // The row says whether its body was apart (no body in the row): only then is there a body to delete.
                    if (w.DeleteMessage.Text(1, path).Int(2, seq).FirstRow(BodyWasApart) is true)
                        w.DeleteBody.Text(1, path).Int(2, seq).Run();
                }
                foreach (var m in changes.UpsertMessages)
                {
                    // No body: a change of state, the stored body stays where it is (COALESCE keeps a body in the row).
                    w.UpsertMessage.Text(1, m.StoragePath).Int(2, m.SequenceNumber).Blob(3, m.Document);
                    var apart = m.Body is { } body && body.Length + m.Document.Length > rowBytesInline;
                    if (m.Body is { } inRow && !apart) w.UpsertMessage.Blob(4, inRow);
                    else w.UpsertMessage.Null(4);
                    w.UpsertMessage.Run();
                    if (apart) w.UpsertBody.Text(1, m.StoragePath).Int(2, m.SequenceNumber).Blob(3, m.Body).Run();
                }
                foreach (var (path, last) in changes.Sequences) w.UpsertSequence.Text(1, path).Int(2, last).Run();
                foreach (var (path, id) in changes.DeleteDuplicates) w.DeleteDuplicate.Text(1, path).Text(2, id).Run();
                foreach (var d in changes.UpsertDuplicates)
                {
                    w.UpsertDuplicate.Text(1, d.EntityPath).Text(2, d.MessageId)
                        .Text(3, d.ExpiresAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture)).Int(4, d.SequenceNumber).Run();
                }
                foreach (var (path, id) in changes.DeleteSessionStates) w.DeleteSessionState.Text(1, path).Text(2, id).Run();
                foreach (var st in changes.UpsertSessionStates) w.UpsertSessionState.Text(1, st.EntityPath).Text(2, st.SessionId).Blob(3, st.State).Run();
                w.Commit.Run();
            }
            catch
            {
                if (raw.sqlite3_get_autocommit(connection.Handle!) == 0) w.Rollback.Run();
                throw;
            }
        }
    }

    /// <summary>Read from a deleted row (<c>RETURNING body IS NULL</c>; the change is made on the first step,
    /// https://www.sqlite.org/lang_returning.html): true when its body was not in it.</summary>
    private static object BodyWasApart(sqlite3_stmt row) => raw.sqlite3_column_int(row, 0) != 0 ? BoxedTrue : BoxedFalse;

    private static readonly object BoxedTrue = true, BoxedFalse = false; // FirstRow reads into a class: no box per delete

    public StoredMessage? ReadMessage(string storagePath, long sequenceNumber)
    {
        lock (gate)
        {
            if (readMessage is null)
            {
                readMessage = connection.CreateCommand();
                readMessage.CommandText = "SELECT COALESCE(m.body, b.body), m.document FROM messages m LEFT JOIN message_bodies b ON b.storage_path = m.storage_path AND b.sequence_number = m.sequence_number WHERE m.storage_path = $p AND m.sequence_number = $s";
                readMessage.Parameters.Add(new SqliteParameter { ParameterName = "$p" });
                readMessage.Parameters.Add(new SqliteParameter { ParameterName = "$s" });
            }
            readMessage.Parameters["$p"].Value = storagePath;
            readMessage.Parameters["$s"].Value = sequenceNumber;
            using var r = readMessage.ExecuteReader();
            if (!r.Read()) return null;
            return new StoredMessage(storagePath, sequenceNumber, r.GetFieldValue<byte[]>(1), r.IsDBNull(0) ? null : (byte[])r.GetValue(0));
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            statements.Dispose();
            readMessage?.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>The writer's statements, prepared once on the connection.</summary>
    private sealed class WriterStatements(sqlite3 db) : IDisposable
    {
        public readonly PreparedStatement Begin = new(db, "BEGIN");
        public readonly PreparedStatement Commit = new(db, "COMMIT");
        public readonly PreparedStatement Rollback = new(db, "ROLLBACK");
        public readonly PreparedStatement DeleteMessage = new(db, "DELETE FROM messages WHERE storage_path = ?1 AND sequence_number = ?2 RETURNING body IS NULL");
        public readonly PreparedStatement DeleteBody = new(db, "DELETE FROM message_bodies WHERE storage_path = ?1 AND sequence_number = ?2");
        public readonly PreparedStatement UpsertBody = new(db, "INSERT INTO message_bodies (storage_path, sequence_number, body) VALUES (?1, ?2, ?3) ON CONFLICT (storage_path, sequence_number) DO UPDATE SET body = excluded.body");
        public readonly PreparedStatement UpsertMessage = new(db, "INSERT INTO messages (storage_path, sequence_number, document, body) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (storage_path, sequence_number) DO UPDATE SET document = excluded.document, body = COALESCE(excluded.body, messages.body)");
        public readonly PreparedStatement UpsertSequence = new(db, "INSERT INTO sequences (entity_path, last_sequence) VALUES (?1, ?2) ON CONFLICT (entity_path) DO UPDATE SET last_sequence = excluded.last_sequence");
        public readonly PreparedStatement DeleteDuplicate = new(db, "DELETE FROM duplicates WHERE entity_path = ?1 AND message_id = ?2");
        public readonly PreparedStatement UpsertDuplicate = new(db, "INSERT INTO duplicates (entity_path, message_id, expires_at, sequence_number) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (entity_path, message_id) DO UPDATE SET expires_at = excluded.expires_at, sequence_number = excluded.sequence_number");
        public readonly PreparedStatement DeleteSessionState = new(db, "DELETE FROM session_states WHERE entity_path = ?1 AND session_id = ?2");
        public readonly PreparedStatement UpsertSessionState = new(db, "INSERT INTO session_states (entity_path, session_id, state) VALUES (?1, ?2, ?3) ON CONFLICT (entity_path, session_id) DO UPDATE SET state = excluded.state");

        public void Dispose()
        {
            foreach (var statement in new[] { Begin, Commit, Rollback, DeleteMessage, DeleteBody, UpsertMessage, UpsertBody, UpsertSequence,
                         DeleteDuplicate, UpsertDuplicate, DeleteSessionState, UpsertSessionState })
                statement.Dispose();
        }
    }
}

/// <summary>A broker database this version cannot read (written by a later version).</summary>
public sealed class UnsupportedDatabaseException(string message) : Exception(message);
