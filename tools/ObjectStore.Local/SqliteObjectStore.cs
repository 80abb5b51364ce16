using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Sqlite.Native;
using OrderEvents.CustomCode.Storage;

namespace ObjectStore.Local;

/// <summary>
/// The local runtime's embedded <see cref="IObjectStore"/>: every container's objects in one SQLite file, with the Blob
/// service's conditional semantics (create-if-absent, If-Match replace and delete, list by prefix) and the naming rules
/// of every store (<see cref="ObjectNames"/>).
/// <list type="bullet">
/// <item>One table, <c>objects(container, name, content, content_type, version)</c>, keyed by container and name (the
/// key is the index a list by prefix walks). The ETag is <c>"0x{version}"</c>: the high 32 bits are this store
/// instance's number, taken from a counter in the database when it opens (and again after 2^32 writes), the low 32 bits
/// count its writes. So a version is never reused, by this process or another, not even after a delete and a create of
/// the same name (the Blob service gives a re-created blob a new ETag too), and a write touches no shared counter row.</item>
/// <item><b>Group commit.</b> Writers do not each pay a transaction: a write is queued, and the first writer that finds
/// no commit under way runs the queue, all of it, in one transaction (each operation's condition is checked inside that
/// transaction, in queue order, exactly as if they had run one by one); the callers' tasks complete when the transaction
/// has committed. Writes that arrive meanwhile form the next batch, which a thread-pool thread commits. So one caller
/// alone commits at once, and many callers share a commit instead of queueing for one each.</item>
/// <item><b>Durability.</b> WAL mode with <c>synchronous=NORMAL</c>: a write's task completes after its transaction has
/// been written to the WAL file, so a process killed at any point (SIGKILL) loses nothing acknowledged; a power loss or
/// an OS crash may roll back the last transactions (https://www.sqlite.org/pragma.html#pragma_synchronous,
/// https://www.sqlite.org/wal.html "Performance Considerations"). The broker and the run store make the same choice.</item>
/// <item>Readers do not wait for writers (WAL: each read sees the last committed state); they use their own
/// connections, one per concurrent reader, reused.</item>
/// <item>Several processes may open one file (a CLI beside a running host, a host restarted while the old one still
/// runs): SQLite's file locks serialize their transactions, each batch begins with <c>BEGIN IMMEDIATE</c> and waits up to
/// the lock timeout for another process's transaction (<c>busy_timeout</c>).</item>
/// </list>
/// </summary>
public sealed class SqliteObjectStore : IObjectStore, IDisposable
{
    /// <summary>The file's name in a state folder.</summary>
    public const string DefaultFileName = "storage.db";

    /// <summary>The schema this code reads and writes (<c>PRAGMA user_version</c>).</summary>
    private const int SchemaVersion = 1;
    private const int MaxBatch = 512;
    private const int ListPageSize = 500;

    /// <summary>The WAL is copied into the database (and both are synced) after this many pages instead of SQLite's
    /// 1,000: fewer syncs, and a page written many times between two checkpoints is copied once.</summary>
    private const int WalPagesPerCheckpoint = 8192;

    private readonly SqliteConnection writer;
    private readonly WriteStatements statements;
    private readonly Lock writeGate = new();
    private readonly ConcurrentQueue<PendingWrite> queue = new();
    private readonly ConcurrentBag<ReadConnection> readers = new();
    private readonly ConcurrentBag<ReadConnection> allReaders = new();
    private readonly List<PendingWrite> batch = new(MaxBatch);
    private readonly TimeSpan lockTimeout;
    private int committing;
    private volatile bool disposed;
    private long instance;
    private uint written = uint.MaxValue;

    /// <param name="path">The database file (created with its folder when missing).</param>
    /// <param name="lockTimeout">How long a transaction waits for another process's (default 30 s).</param>
    public SqliteObjectStore(string path, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        this.lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        writer = Open();
        try
        {
            CreateSchema();
            Execute(writer, $"PRAGMA wal_autocheckpoint = {WalPagesPerCheckpoint}; PRAGMA journal_size_limit = {WalPagesPerCheckpoint * 4096L * 2}; PRAGMA cache_size = -16384;");
            statements = new WriteStatements(writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>How many transactions the writes were committed in, and how many writes they carried (for benchmarks
    /// and specs: group commit shows as fewer transactions than writes).</summary>
    public (long Transactions, long Writes) CommitCounts => (Interlocked.Read(ref transactions), Interlocked.Read(ref writes));

    private long transactions;
    private long writes;

    /// <summary>A commit is under way and nothing waits for the next one (specs use it to line writes up behind a commit).</summary>
    internal bool CommittingWithNothingQueued => Volatile.Read(ref committing) == 1 && queue.IsEmpty;

    public Task<string?> TryCreateAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        ObjectNames.ValidateContentType(contentType);
        return SubmitAsync(new PendingWrite(WriteKind.Create, container, name, Bytes(content), contentType, ifMatch: 0));
    }

    public Task<StoredObject?> ReadAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        ObjectNames.Validate(container, name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(WithReader(reader => reader.Read(container, name)));
    }

    public Task<string?> TryReplaceAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        ObjectNames.Validate(container, name);
        ObjectNames.ValidateContentType(contentType);
        // An ETag this store never gave matches nothing: the Blob service answers 412 to it.
        return TryParseETag(ifMatchETag, out var version)
            ? SubmitAsync(new PendingWrite(WriteKind.Replace, container, name, Bytes(content), contentType, version))
            : Task.FromResult<string?>(null);
    }

    public async Task<bool> TryDeleteAsync(string container, string name, string ifMatchETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatchETag);
        ObjectNames.Validate(container, name);
        return TryParseETag(ifMatchETag, out var version)
            && await SubmitAsync(new PendingWrite(WriteKind.Delete, container, name, [], "", version)).ConfigureAwait(false) is not null;
    }

    /// <summary>Names in UTF-8 byte order (ordinal for the names this product writes), read in pages so that no read
    /// transaction stays open while the caller works through them.</summary>
    public async IAsyncEnumerable<string> ListAsync(string container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectNames.ValidateContainer(container);
        ArgumentNullException.ThrowIfNull(prefix);
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = WithReader(reader => reader.ListPage(container, after ?? prefix, inclusive: after is null));
            foreach (var name in page)
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal)) yield break;
                cancellationToken.ThrowIfCancellationRequested();
                yield return name;
            }
            if (page.Count < ListPageSize) yield break;
            after = page[^1];
            await Task.Yield();
        }
    }

    /// <summary>Adds objects that are not there yet (creates, committed together), each with a new version; one that
    /// exists is kept as it is. Returns how many were added.</summary>
    internal async Task<int> ImportAsync(IReadOnlyList<(string Container, string Name, StoredObject Object)> objects)
    {
        var creates = objects.Select(o => SubmitAsync(new PendingWrite(WriteKind.Create, o.Container, o.Name, o.Object.Content.ToArray(), o.Object.ContentType, ifMatch: 0))).ToList();
        return (await Task.WhenAll(creates).ConfigureAwait(false)).Count(etag => etag is not null);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        lock (writeGate)
        {
            while (queue.TryDequeue(out var abandoned)) abandoned.Completion.TrySetException(new ObjectDisposedException(nameof(SqliteObjectStore)));
            statements.Dispose();
            writer.Dispose();
        }
        foreach (var reader in allReaders) reader.Dispose();
    }

    internal static string ETagOf(long version) => string.Create(CultureInfo.InvariantCulture, $"\"0x{version:X}\"");

    private static bool TryParseETag(string etag, out long version)
    {
        version = 0;
        return etag.Length > 4 && etag.StartsWith("\"0x", StringComparison.Ordinal) && etag[^1] == '"'
            && long.TryParse(etag.AsSpan(3, etag.Length - 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out version)
            && version > 0;
    }

    /// <summary>The caller's array itself when the content is a whole array (the caller awaits the write, and SQLite
    /// copies what it binds), otherwise a copy: no second copy of every lake file and claim check for the GC.</summary>
    private static byte[] Bytes(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : content.ToArray();

    private Task<string?> SubmitAsync(PendingWrite write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        queue.Enqueue(write);
        if (Interlocked.CompareExchange(ref committing, 1, 0) == 0) CommitNextBatch();
        return write.Completion.Task;
    }

    /// <summary>Commits what is queued (up to <see cref="MaxBatch"/>) in one transaction. Runs on the thread of the writer
    /// that found no commit under way; writes queued meanwhile are committed next, on a thread-pool thread, so that this
    /// writer's caller goes on.</summary>
    private void CommitNextBatch()
    {
        try
        {
            lock (writeGate)
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.TryDequeue(out var write)) batch.Add(write);
                if (batch.Count > 0) Commit(batch);
            }
        }
        finally
        {
            Volatile.Write(ref committing, 0);
        }
        if (!queue.IsEmpty && Interlocked.CompareExchange(ref committing, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static store => store.CommitNextBatch(), this, preferLocal: false);
        }
    }

    private void Commit(List<PendingWrite> pending)
    {
        if (disposed)
        {
            foreach (var write in pending) write.Completion.TrySetException(new ObjectDisposedException(nameof(SqliteObjectStore)));
            return;
        }
        var results = new string?[pending.Count];
        try
        {
            var (instanceAtStart, writtenAtStart) = (instance, written);
            // BEGIN IMMEDIATE, the statements and COMMIT are prepared once on the writer's handle: Microsoft.Data.Sqlite's
            // BeginTransaction prepared and disposed a command for BEGIN (and for COMMIT) on every batch.
            statements.Begin();
            try
            {
                for (var i = 0; i < pending.Count; i++)
                {
                    var write = pending[i];
                    var changed = write.Kind == WriteKind.Delete
                        ? statements.Delete(write)
                        : write.Kind == WriteKind.Create
                            ? statements.Insert(write, NextVersion())
                            : statements.Replace(write, NextVersion());
                    results[i] = changed ? (write.Kind == WriteKind.Delete ? "" : ETagOf(Version)) : null;
                }
                statements.Commit();
            }
            catch
            {
                // Nothing of this batch is stored: neither is a new instance number, so take it again next time.
                (instance, written) = (instanceAtStart, writtenAtStart);
                statements.RollBackIfOpen();
                throw;
            }
        }
        catch (Exception ex)
        {
            var failure = Failure(ex, pending.Count);
            foreach (var write in pending) write.Completion.TrySetException(failure);
            return;
        }
        Interlocked.Increment(ref transactions);
        Interlocked.Add(ref writes, pending.Count);
        for (var i = 0; i < pending.Count; i++) pending[i].Completion.TrySetResult(results[i]);
    }

    private long Version => (instance << 32) | written;

    /// <summary>The next version this instance writes (a version whose write fails its condition is simply not used).</summary>
    private long NextVersion()
    {
        if (written == uint.MaxValue)
        {
            instance = statements.TakeInstanceNumber();
            written = 0;
        }
        written++;
        return Version;
    }

    private ObjectStoreException Failure(Exception ex, int count) => ex is SqliteException { SqliteErrorCode: 5 or 6 }
        ? new ObjectStoreException("LockTimeout", $"Could not write to '{Path}' within {lockTimeout.TotalSeconds:0.#} s: another process holds its write lock ({count} write(s) not done).", inner: ex)
        : new ObjectStoreException("LocalStoreFailed", $"Writing to '{Path}' failed ({count} write(s) not done): {ex.Message}", inner: ex);

    private T WithReader<T>(Func<ReadConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!readers.TryTake(out var reader))
        {
            reader = new ReadConnection(Open());
            allReaders.Add(reader);
        }
        try
        {
            return read(reader);
        }
        catch (SqliteException ex)
        {
            throw new ObjectStoreException(ex.SqliteErrorCode is 5 or 6 ? "LockTimeout" : "LocalStoreFailed", $"Reading from '{Path}' failed: {ex.Message}", inner: ex);
        }
        finally
        {
            readers.Add(reader);
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(lockTimeout.TotalSeconds),
        }.ToString());
        connection.Open();
        // busy_timeout: SQLite's own back-off while another process writes (Microsoft.Data.Sqlite's retry sleeps 150 ms).
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)lockTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;"));
        return connection;
    }

    private void CreateSchema()
    {
        var version = Convert.ToInt64(Scalar(writer, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new ObjectStoreException("UnknownSchema", $"'{Path}' was written by a newer version of the local object store (schema {version}; this one reads {SchemaVersion}). Use that version, or move the file aside to start empty.");
        }
        Execute(writer, "PRAGMA journal_mode = WAL;");
        Execute(writer, string.Create(CultureInfo.InvariantCulture, $"""
            BEGIN IMMEDIATE;
            CREATE TABLE IF NOT EXISTS objects (
                container TEXT NOT NULL,
                name TEXT NOT NULL,
                content BLOB NOT NULL,
                content_type TEXT NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (container, name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS counters (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO counters (name, value) VALUES ('instances', 0);
            PRAGMA user_version = {SchemaVersion};
            COMMIT;
            """));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
        command.Prepare();
        return command;
    }

    private enum WriteKind
    {
        Create,
        Replace,
        Delete,
    }

    private sealed class PendingWrite(WriteKind kind, string container, string name, byte[] content, string contentType, long ifMatch)
    {
        public WriteKind Kind { get; } = kind;
        public string Container { get; } = container;
        public string Name { get; } = name;
        public byte[] Content { get; } = content;
        public string ContentType { get; } = contentType;
        public long IfMatch { get; } = ifMatch;

        /// <summary>The new ETag ("" for a delete), or null when the condition failed. Continuations run elsewhere, not
        /// on the committing thread.</summary>
        public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer connection's statements, prepared once on its native handle (SQLitePCLRaw): values bound
    /// straight to SQLite, no command, parameter, data reader or transaction object per write. Text, blobs and integers
    /// are bound as Microsoft.Data.Sqlite binds them (UTF-8 text, 64-bit integers), so the rows are the same.</summary>
    private sealed class WriteStatements(SqliteConnection connection) : IDisposable
    {
        private readonly sqlite3 db = connection.Handle!;
        private readonly PreparedStatement begin = new(connection.Handle!, "BEGIN IMMEDIATE");
        private readonly PreparedStatement commit = new(connection.Handle!, "COMMIT");
        private readonly PreparedStatement rollback = new(connection.Handle!, "ROLLBACK");
        private readonly PreparedStatement takeInstance = new(connection.Handle!, "UPDATE counters SET value = value + 1 WHERE name = 'instances' RETURNING value");
        private readonly PreparedStatement insert = new(connection.Handle!,
            "INSERT INTO objects (container, name, content, content_type, version) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (container, name) DO NOTHING");
        private readonly PreparedStatement replace = new(connection.Handle!,
            "UPDATE objects SET content = ?3, content_type = ?4, version = ?5 WHERE container = ?1 AND name = ?2 AND version = ?6");
        private readonly PreparedStatement delete = new(connection.Handle!,
            "DELETE FROM objects WHERE container = ?1 AND name = ?2 AND version = ?3");

        /// <summary>Waits for another process's write transaction as long as the connection's <c>busy_timeout</c>.</summary>
        public void Begin() => begin.Run();

        public void Commit() => commit.Run();

        /// <summary>Rolls back the transaction a failed batch left open (SQLite may have rolled it back itself).</summary>
        public void RollBackIfOpen()
        {
            if (raw.sqlite3_get_autocommit(db) == 0) rollback.Run();
        }

        public long TakeInstanceNumber() => takeInstance.Int64Row();

        public bool Insert(PendingWrite write, long version) =>
            insert.Text(1, write.Container).Text(2, write.Name).Blob(3, write.Content).Text(4, write.ContentType).Int(5, version).RunChangesOneRow();

        public bool Replace(PendingWrite write, long version) =>
            replace.Text(1, write.Container).Text(2, write.Name).Blob(3, write.Content).Text(4, write.ContentType).Int(5, version).Int(6, write.IfMatch).RunChangesOneRow();

        public bool Delete(PendingWrite write) =>
            delete.Text(1, write.Container).Text(2, write.Name).Int(3, write.IfMatch).RunChangesOneRow();

        public void Dispose()
        {
            foreach (var statement in new[] { begin, commit, rollback, takeInstance, insert, replace, delete }) statement.Dispose();
        }
    }

    /// <summary>A reader's own connection and statements; used by one caller at a time.</summary>
    private sealed class ReadConnection(SqliteConnection connection) : IDisposable
    {
        private readonly PreparedStatement read = new(connection.Handle!,
            "SELECT content, content_type, version FROM objects WHERE container = ?1 AND name = ?2");
        private readonly SqliteCommand listFrom = Prepare(connection,
            $"SELECT name FROM objects WHERE container = $c AND name >= $from ORDER BY name LIMIT {ListPageSize}", "$c", "$from");
        private readonly SqliteCommand listAfter = Prepare(connection,
            $"SELECT name FROM objects WHERE container = $c AND name > $from ORDER BY name LIMIT {ListPageSize}", "$c", "$from");

        public StoredObject? Read(string container, string name) => read.Text(1, container).Text(2, name).FirstRow(static row =>
            new StoredObject(raw.sqlite3_column_blob(row, 0).ToArray(), ETagOf(raw.sqlite3_column_int64(row, 2)), raw.sqlite3_column_text(row, 1).utf8_to_string()));

        public List<string> ListPage(string container, string from, bool inclusive)
        {
            var command = inclusive ? listFrom : listAfter;
            command.Parameters[0].Value = container;
            command.Parameters[1].Value = from;
            var names = new List<string>();
            using var rows = command.ExecuteReader();
            while (rows.Read()) names.Add(rows.GetString(0));
            return names;
        }

        public void Dispose()
        {
            read.Dispose();
            listFrom.Dispose();
            listAfter.Dispose();
            connection.Dispose();
        }
    }
}
