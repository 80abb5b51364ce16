using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Sqlite.Native;

namespace Workflows.Runtime.History;

/// <summary>
/// How long and how much run history is kept. <see cref="MaxAge"/> is Logic Apps' run history retention: a run is removed
/// once it started longer ago than that (default 90 days; the local app takes it from the app setting Azure reads,
/// <c>Workflows.RuntimeConfiguration.RetentionInDays</c>: "Run duration and retention history limits" in
/// https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#run-duration-and-retention-history-limits).
/// <see cref="MaxRuns"/> is local only: a developer machine keeps at most that many finished runs, the oldest go first.
/// </summary>
public sealed record RunRetention(TimeSpan MaxAge, int MaxRuns)
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(90);
    public const int DefaultMaxRuns = 20_000;

    public static RunRetention Default { get; } = new(DefaultMaxAge, DefaultMaxRuns);
}

/// <summary>
/// Run history and the state of Stateful runs in one SQLite file, like the storage account a Standard logic app keeps
/// them in. A run in progress is checkpointed in batches: every <see cref="FlushInterval"/> the runs that completed an
/// action since the last batch are captured (completed actions, variables, Waits in progress) and written in one
/// transaction, so a host that dies loses at most the last batch, whose actions run again on resume. A new run is the
/// exception: it is stored before its first action runs (<see cref="WhenDurable"/> wakes the writer at once, and the runs
/// that start meanwhile share that commit), so a host killed at any instant after a trigger fired resumes the run instead
/// of forgetting it, as Azure stores a Stateful run before running its actions. A run that finishes within one batch
/// after that is written once more, finished. Each write of a run rewrites only its document (status, variables, Waits):
/// its trigger and completed action records are stored once (the records a write stores, one row of <c>run_record_groups</c>)
/// and referred to, and a large value
/// repeated within the run is stored once (<see cref="SharedValues"/>). Finished runs are kept per <see cref="RunRetention"/>; nothing is kept in
/// memory but the runs in progress and the batch being written. WAL mode with <c>synchronous=NORMAL</c>: a committed
/// batch survives the process being killed (SIGKILL), as https://www.sqlite.org/wal.html ("Performance Considerations")
/// describes; only a power loss can lose the last transactions.
/// </summary>
public sealed class SqliteRunStore : IRunHistory, IDisposable
{
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(100);
    private const int MaxPendingRuns = 20_000;
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromSeconds(2);

    /// <summary>The file's format (<c>PRAGMA user_version</c>): 4 since the records a write of a run stores go in one row
    /// of <c>run_record_groups</c> (<see cref="RecordGroup"/>); 3: documents and records write the strings a definition
    /// decides as numbers in <c>run_strings</c> (run document version 3), one record per row of <c>run_records</c>; 0: the
    /// files before (documents of versions 1 and 2). Formats 0 and 3 are read as they are (their rows stay where they are;
    /// a run resumed from one stores its next records in groups); a file of a later format is refused with
    /// <see cref="RunStoreFormatException"/>.</summary>
    public const int FormatVersion = 4;

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private readonly TimeProvider clock;
    private readonly bool readOnly;
    private readonly ConcurrentDictionary<string, WorkflowRun> running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ICheckpointSource> progressed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkflowRun> started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> durableWaiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkflowRun> finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunCheckpoint> interrupted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RunCheckpoint> interruptions = new();
    private readonly SemaphoreSlim pendingSlots = new(MaxPendingRuns, MaxPendingRuns);
    private readonly AutoResetEvent wake = new(false);
    private readonly Thread? writer;
    private readonly Action<string> log;
    private readonly List<RunCheckpoint> unfinishedAtOpen = [];
    // Writer only (under gate): the records of each run in progress already stored.
    private readonly Dictionary<string, StoredRecords> storedRecords = new(StringComparer.Ordinal);
    // The strings a definition decides, numbered once per file (see RunStrings).
    private readonly RunStrings strings = new();
    private bool hasStringTable;
    // False for a file of an earlier format opened read-only (it has no run_record_groups table).
    private bool hasGroupTable;
    // Writer only (under gate): the records one write of a run stores, as one row.
    private readonly RecordGroup group = new();
    private volatile bool disposing;
    private long lastRetention;
    private Exception? writeFailure;

    private SqliteRunStore(string path, RunRetention retention, TimeProvider clock, bool readOnly, TimeSpan flushInterval, Action<string>? log)
    {
        Path = System.IO.Path.GetFullPath(path);
        Retention = retention;
        this.clock = clock;
        this.readOnly = readOnly;
        FlushInterval = flushInterval;
        this.log = log ?? (_ => { });
        if (!readOnly) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        RefuseLaterFormats();
        if (readOnly)
        {
            hasGroupTable = HasTable("run_record_groups");
            RefreshStrings();
            unfinishedAtOpen.AddRange(Documents("SELECT document FROM runs WHERE status = 'Running'").Select(d => d.Checkpoint!).Where(c => c is not null));
            return;
        }
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS runs (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                workflow TEXT NOT NULL,
                status TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                end_time INTEGER,
                client_tracking_id TEXT NOT NULL,
                document BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS runs_by_start ON runs (start_time);
            CREATE INDEX IF NOT EXISTS runs_in_progress ON runs (status) WHERE status = 'Running';
            CREATE INDEX IF NOT EXISTS runs_finished ON runs (seq) WHERE status <> 'Running';
            CREATE TABLE IF NOT EXISTS run_records (
                run_id TEXT NOT NULL,
                n INTEGER NOT NULL,
                record BLOB NOT NULL,
                PRIMARY KEY (run_id, n));
            CREATE TABLE IF NOT EXISTS run_strings (
                id INTEGER PRIMARY KEY,
                text TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS run_record_groups (
                run_id TEXT NOT NULL,
                first INTEGER NOT NULL,
                count INTEGER NOT NULL,
                records BLOB NOT NULL,
                PRIMARY KEY (run_id, first));
            """);
        hasGroupTable = true;
        Execute($"PRAGMA user_version = {FormatVersion};");
        RefreshStrings();
        foreach (var document in Documents("SELECT document FROM runs WHERE status = 'Running'"))
        {
            if (document.Checkpoint is { } checkpoint) unfinishedAtOpen.Add(checkpoint);
        }
        writer = new Thread(WriteLoop) { IsBackground = true, Name = "run store writer" };
        writer.Start();
    }

    /// <summary>Opens (or creates) the store at <paramref name="path"/> for a host: it writes, checkpoints and applies retention.</summary>
    public static SqliteRunStore Open(string path, RunRetention? retention = null, TimeProvider? clock = null, TimeSpan? flushInterval = null, Action<string>? log = null) =>
        new(path, retention ?? RunRetention.Default, clock ?? TimeProvider.System, readOnly: false, flushInterval ?? DefaultFlushInterval, log);

    /// <summary>Opens an existing store to read it while a host may be writing it (operators' tools). A run that can't be
    /// read is left out and reported to <paramref name="unreadable"/>.</summary>
    public static SqliteRunStore OpenReadOnly(string path, Action<string>? unreadable = null) =>
        new(path, RunRetention.Default, TimeProvider.System, readOnly: true, DefaultFlushInterval, unreadable);

    public string Path { get; }

    public RunRetention Retention { get; }

    public TimeSpan FlushInterval { get; }

    public bool KeepsCheckpoints => true;

    public void Record(WorkflowRun run)
    {
        EnsureWritable();
        if (!run.IsCompleted)
        {
            running[run.Id] = run;
            // A resumed run keeps the checkpoint it resumed from until it completes its next action.
            if (IsUnfinished(run.Id)) return;
            // In started before its waiter: a waiter whose run is no longer in started after a commit is released, so the
            // reverse order could release a run that a batch running meanwhile had not written.
            started[run.Id] = run;
            durableWaiters.TryAdd(run.Id, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            wake.Set();
            return;
        }
        // Backpressure: a writer that falls behind holds back finishing runs instead of letting memory grow.
        pendingSlots.Wait();
        finished[run.Id] = run;
        running.TryRemove(run.Id, out _);
        progressed.TryRemove(run.Id, out _);
        started.TryRemove(run.Id, out _);
        interrupted.TryRemove(run.Id, out _);
    }

    /// <summary>Completes once the new run <paramref name="run"/> is in the file (at once for a resumed run, which is there
    /// already). The engine runs no action of a run before: otherwise a host killed within the run's first batch forgets the
    /// run, its message comes back to a new run, and whatever the forgotten run did outside the engine (an idempotency claim
    /// it took, owned by its name) is found held by nobody the new run knows. A write that fails releases the waiting runs
    /// (the failure is logged and raised by <see cref="Flush"/>): the engine keeps running, as it does for checkpoints.</summary>
    public Task WhenDurable(WorkflowRun run) => durableWaiters.TryGetValue(run.Id, out var waiter) ? waiter.Task : Task.CompletedTask;

    public void Progressed(ICheckpointSource run) => progressed[run.Run.Id] = run;

    public void Interrupted(RunCheckpoint checkpoint)
    {
        EnsureWritable();
        var id = checkpoint.Run.Id;
        progressed.TryRemove(id, out _);
        started.TryRemove(id, out _);
        running.TryRemove(id, out _);
        interrupted[id] = checkpoint;
        interruptions.Enqueue(checkpoint);
        wake.Set();
    }

    private bool IsUnfinished(string runId)
    {
        if (interrupted.ContainsKey(runId)) return true;
        lock (unfinishedAtOpen) return unfinishedAtOpen.Exists(c => c.Run.Id == runId);
    }

    public IReadOnlyList<RunCheckpoint> Unfinished()
    {
        var all = new Dictionary<string, RunCheckpoint>(StringComparer.Ordinal);
        lock (unfinishedAtOpen)
        {
            foreach (var checkpoint in unfinishedAtOpen) all[checkpoint.Run.Id] = checkpoint;
        }
        foreach (var (id, checkpoint) in interrupted) all[id] = checkpoint;
        foreach (var id in running.Keys) all.Remove(id);
        foreach (var id in finished.Keys) all.Remove(id);
        return all.Values.OrderBy(c => c.Run.StartTime).ToList();
    }

    public WorkflowRun? Find(string runId)
    {
        if (running.TryGetValue(runId, out var run) || finished.TryGetValue(runId, out run)) return run;
        if (interrupted.TryGetValue(runId, out var checkpoint)) return checkpoint.Run;
        return Documents("SELECT document FROM runs WHERE id = $id", ("$id", runId)).Select(d => d.Run).FirstOrDefault();
    }

    /// <summary>Newest first. Runs in progress and runs not yet written come from memory, the others from the file.</summary>
    public IReadOnlyList<WorkflowRun> Query(RunQuery query)
    {
        var found = new Dictionary<string, WorkflowRun>(StringComparer.Ordinal);
        foreach (var run in running.Values.Concat(finished.Values).Concat(interrupted.Values.Select(c => c.Run)))
        {
            if (Matches(run, query)) found.TryAdd(run.Id, run);
        }
        if (query.Status != WorkflowStatus.Running || readOnly)
        {
            var sql = new System.Text.StringBuilder("SELECT document FROM runs WHERE 1 = 1");
            var parameters = new List<(string, object?)>();
            if (query.WorkflowName is { } workflow)
            {
                sql.Append(" AND workflow = $workflow COLLATE NOCASE");
                parameters.Add(("$workflow", workflow));
            }
            if (query.Status is { } status)
            {
                sql.Append(" AND status = $status");
                parameters.Add(("$status", status.ToString()));
            }
            if (query.ClientTrackingId is { } tracking)
            {
                sql.Append(" AND client_tracking_id = $tracking");
                parameters.Add(("$tracking", tracking));
            }
            sql.Append(" ORDER BY start_time DESC, id ASC");
            if (query.Top is { } top)
            {
                sql.Append(" LIMIT $top");
                parameters.Add(("$top", top + found.Count));
            }
            foreach (var document in Documents(sql.ToString(), parameters.ToArray())) found.TryAdd(document.Run.Id, document.Run);
        }
        IEnumerable<WorkflowRun> ordered = found.Values.OrderByDescending(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal);
        if (query.Top is { } limit) ordered = ordered.Take(limit);
        return ordered.ToList();
    }

    /// <summary>The bytes of run documents and stored records this store has written since it opened (benchmarks, specs).</summary>
    public long WrittenBytes => Interlocked.Read(ref writtenBytes);

    private long writtenBytes;

    /// <summary>How many runs the file holds (finished and in progress).</summary>
    public long Count()
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM runs";
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>Writes everything captured so far now (a stopping host calls it last).</summary>
    public void Flush()
    {
        if (readOnly) return;
        lock (gate) WriteBatch(force: true);
        ThrowIfWriteFailed();
    }

    public void Dispose()
    {
        if (readOnly)
        {
            connection.Dispose();
            return;
        }
        if (disposing) return;
        disposing = true;
        wake.Set();
        writer?.Join();
        lock (gate)
        {
            try
            {
                WriteBatch(force: true);
            }
            finally
            {
                ReleaseDurableWaiters(all: true);
            }
            Execute("PRAGMA wal_checkpoint(TRUNCATE);");
            connection.Dispose();
        }
        wake.Dispose();
    }

    private static bool Matches(WorkflowRun run, RunQuery query) =>
        (query.WorkflowName is null || run.WorkflowName.Equals(query.WorkflowName, StringComparison.OrdinalIgnoreCase))
        && (query.Status is null || run.Status == query.Status)
        && (query.ClientTrackingId is null || run.ClientTrackingId == query.ClientTrackingId);

    private void WriteLoop()
    {
        var interval = Math.Max(1, (long)FlushInterval.TotalMilliseconds);
        var lastCheckpoints = Stopwatch.GetTimestamp();
        while (!disposing)
        {
            var due = interval - (long)Stopwatch.GetElapsedTime(lastCheckpoints).TotalMilliseconds;
            if (due > 0) wake.WaitOne((int)due);
            if (disposing) break;
            try
            {
                // Woken before the interval by new runs: store those (and what finished) now, and leave the checkpoints
                // of runs in progress to the batch every interval, so that a stream of new runs does not turn batched
                // checkpoints into one per action.
                var checkpoints = Stopwatch.GetElapsedTime(lastCheckpoints).TotalMilliseconds >= interval;
                if (checkpoints) lastCheckpoints = Stopwatch.GetTimestamp();
                lock (gate) WriteBatch(force: false, checkpoints);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Kept to be raised by Flush; the host logs it. Runs keep executing meanwhile. Any failure: an exception
                // escaping this thread would end the process, and one swallowed without releasing the new runs waiting
                // for this batch would leave them (and their triggers' concurrency slots) waiting for ever.
                writeFailure = ex;
                log($"run history: writing to {Path} failed: {ex.Message}");
                ReleaseDurableWaiters(all: true);
            }
        }
    }

    /// <summary>One batch, one transaction: checkpoints of interrupted runs, then of runs in progress (unless
    /// <paramref name="checkpoints"/> is false), then new runs, then finished runs.</summary>
    private void WriteBatch(bool force, bool checkpoints = true)
    {
        try
        {
            WriteRows(checkpoints);
        }
        catch
        {
            // What was assigned to records of this batch may not be in the file: the next documents store them again.
            storedRecords.Clear();
            strings.RolledBack();
            throw;
        }

        var now = Stopwatch.GetTimestamp();
        if (force || Stopwatch.GetElapsedTime(lastRetention, now) >= RetentionInterval)
        {
            lastRetention = now;
            ApplyRetention();
        }
    }

    /// <summary>Writes one batch: documents of runs in progress refer to their trigger and completed action records,
    /// each stored once (the first time a document needs it, in the same transaction; the records one document needs
    /// stored, one row of <c>run_record_groups</c>); a finished
    /// run's document refers to those already stored and carries the others inline. Each document and record is bound to
    /// its statement from the serializer's buffer as soon as it is written (see <see cref="BatchWriter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteRows(bool checkpoints)
    {
        using var batch = new BatchWriter(connection);
        while (interruptions.TryDequeue(out var checkpoint)) WriteInProgress(batch, checkpoint, isNew: false);
        foreach (var id in checkpoints ? progressed.Keys : Array.Empty<string>())
        {
            if (!progressed.TryRemove(id, out var source) || source.Run.IsCompleted) continue;
            var isNew = started.TryRemove(id, out _);
            WriteInProgress(batch, source.Capture(), isNew);
        }
        foreach (var id in started.Keys)
        {
            // Started since the last batch and no action completed yet: its trigger is what a resume starts from.
            if (!started.TryRemove(id, out var run) || run.IsCompleted) continue;
            WriteInProgress(batch, new RunCheckpoint(run, [], [], new Dictionary<string, DateTimeOffset>()), isNew: true);
        }
        var written = new List<WorkflowRun>();
        foreach (var run in finished.Values)
        {
            var stored = storedRecords.GetValueOrDefault(run.Id);
            batch.Run(run, RunDocument.WriteInBuffer(run, stored: stored, shared: stored?.Shared ?? new SharedValues(), strings: strings), isFinished: true);
            written.Add(run);
        }
        // The strings this batch numbered go into the file with the rows that use them.
        foreach (var (number, text) in strings.Pending()) batch.String(number, text);
        if (batch.Commit() is var bytes and > 0) Interlocked.Add(ref writtenBytes, bytes);
        strings.Committed();
        ReleaseDurableWaiters(all: false);
        foreach (var run in written)
        {
            storedRecords.Remove(run.Id);
            finished.TryRemove(run.Id, out _);
            lock (unfinishedAtOpen) unfinishedAtOpen.RemoveAll(c => c.Run.Id == run.Id);
            pendingSlots.Release();
        }
    }

    /// <summary>Writes the document of a run in progress; its trigger and completed records not stored yet are written
    /// (and numbered) first. <paramref name="isNew"/>: the run has nothing in the file yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteInProgress(BatchWriter batch, RunCheckpoint checkpoint, bool isNew)
    {
        var run = checkpoint.Run;
        if (!storedRecords.TryGetValue(run.Id, out var stored))
        {
            // A run this writer has not stored records of: numbered after any an earlier process stored.
            storedRecords[run.Id] = stored = new StoredRecords(isNew ? 0 : NextRecordNumber(run.Id));
        }
        // The records this write stores, one row: each is serialized in the thread's buffer and copied into the group.
        group.Reset();
        if (stored.Add(run.Trigger) is { } triggerNumber) group.Add(triggerNumber, RunDocument.WriteRecordInBuffer(run, run.Trigger, stored.Shared, triggerNumber, strings));
        foreach (var action in checkpoint.Completed)
        {
            if (action.RepetitionCount == 0 && stored.Add(action) is { } number) group.Add(number, RunDocument.WriteRecordInBuffer(run, action, stored.Shared, number, strings));
        }
        if (group.Count > 0) batch.Records(run.Id, group);
        batch.Run(run, RunDocument.WriteInBuffer(run, checkpoint, stored, stored.Shared, strings), isFinished: false);
    }

    private int NextRecordNumber(string runId)
    {
        using var command = connection.CreateCommand();
        // After any record an earlier process stored, one a row (format 3) or in groups.
        command.CommandText = """
            SELECT MAX((SELECT COALESCE(MAX(n) + 1, 0) FROM run_records WHERE run_id = $run),
                       (SELECT COALESCE(MAX(first + count), 0) FROM run_record_groups WHERE run_id = $run))
            """;
        command.Parameters.AddWithValue("$run", runId);
        return Convert.ToInt32(command.ExecuteScalar());
    }

    /// <summary>The stored records of one run, by the object each was written from (a completed record never
    /// changes, so it is written once).</summary>
    private sealed class StoredRecords(int next) : RunDocument.IStoredRecords
    {
        private readonly Dictionary<object, int> numbers = new(ReferenceEqualityComparer.Instance);
        private int next = next;

        /// <summary>The large values written in the run's records, so that a repeat is written as a reference.</summary>
        public SharedValues Shared { get; } = new();

        public int NumberOf(object record) => numbers.TryGetValue(record, out var number) ? number : -1;

        /// <summary>Numbers <paramref name="record"/> when it is not stored yet (null when it is).</summary>
        public int? Add(object record)
        {
            if (numbers.ContainsKey(record)) return null;
            numbers[record] = next;
            return next++;
        }
    }

    /// <summary>
    /// One batch's statements (<see cref="PreparedStatement"/>, on SQLite's own API) over the store's connection: a
    /// document or record is bound straight from the serializer's reused buffer, where a <see cref="SqliteParameter"/>
    /// needs an array of its exact length (a copy of every document the store writes). The transaction begins with the
    /// first row (an empty batch writes nothing).
    /// </summary>
    private sealed class BatchWriter(SqliteConnection connection) : IDisposable
    {
        private const string InsertGroupSql = "INSERT OR REPLACE INTO run_record_groups (run_id, first, count, records) VALUES ($run, $first, $count, $records)";
        private const string InsertStringSql = "INSERT OR REPLACE INTO run_strings (id, text) VALUES ($id, $text)";
        private const string UpsertRunSql = """
            INSERT INTO runs (id, workflow, status, start_time, end_time, client_tracking_id, document)
            VALUES ($id, $workflow, $status, $start, $end, $tracking, $document)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time, document = excluded.document
            """;

        private SqliteTransaction? transaction;
        private PreparedStatement? insertGroup, upsertRun, insertString;
        private long bytes;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Records(string runId, RecordGroup group)
        {
            var records = group.Written;
            (insertGroup ??= Prepare(InsertGroupSql)).Text(1, runId).Int(2, group.First).Int(3, group.Count).Blob(4, records).Run();
            bytes += records.Length;
        }

        public void String(int number, string text) => (insertString ??= Prepare(InsertStringSql)).Int(1, number).Text(2, text).Run();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(WorkflowRun run, ReadOnlySpan<byte> document, bool isFinished)
        {
            var statement = (upsertRun ??= Prepare(UpsertRunSql))
                .Text(1, run.Id).Text(2, run.WorkflowName).Text(3, isFinished ? run.Status.ToString() : nameof(WorkflowStatus.Running))
                .Int(4, run.StartTime.UtcTicks);
            if (isFinished && run.EndTime is { } ended) statement.Int(5, ended.UtcTicks);
            else statement.Null(5);
            if (run.ClientTrackingId is { } tracking) statement.Text(6, tracking);
            else statement.Null(6);
            statement.Blob(7, document).Run();
            bytes += document.Length;
        }

        /// <summary>Commits what the batch wrote; the bytes written (0 when the batch was empty).</summary>
        public long Commit()
        {
            if (transaction is null) return 0;
            Finish();
            transaction.Commit();
            return bytes;
        }

        public void Dispose()
        {
            Finish();
            transaction?.Dispose(); // rolls back a batch that failed before its commit
        }

        private PreparedStatement Prepare(string sql)
        {
            transaction ??= connection.BeginTransaction();
            return new PreparedStatement(connection, sql);
        }

        private void Finish()
        {
            insertGroup?.Dispose();
            upsertRun?.Dispose();
            insertString?.Dispose();
            (insertGroup, upsertRun, insertString) = (null, null, null);
        }
    }

    /// <summary>After a commit: the new runs it wrote may run their actions. A waiting run no longer in <see cref="started"/>
    /// was taken out by a batch that has committed (this one or an earlier one; a failed batch releases every waiter), or it
    /// finished or stopped meanwhile.</summary>
    private void ReleaseDurableWaiters(bool all)
    {
        foreach (var id in durableWaiters.Keys)
        {
            if ((all || !started.ContainsKey(id)) && durableWaiters.TryRemove(id, out var waiter)) waiter.TrySetResult();
        }
    }

    /// <summary>Removes finished runs that started longer ago than the retention, and the oldest finished runs beyond the
    /// count. The count goes by rank among finished runs, not by arithmetic on <c>seq</c>: an upsert that updates a run
    /// (each checkpoint, then the finished run) can use up an AUTOINCREMENT value too, so <c>MAX(seq) - max</c> removed runs
    /// well inside the cap. Runs in progress are never removed: they are what a restart resumes.</summary>
    private void ApplyRetention()
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A run's stored records go with it, in the same transaction.
        command.CommandText = """
            DELETE FROM run_records WHERE run_id IN (SELECT id FROM runs WHERE status <> 'Running' AND start_time < $cutoff);
            DELETE FROM run_record_groups WHERE run_id IN (SELECT id FROM runs WHERE status <> 'Running' AND start_time < $cutoff);
            DELETE FROM runs WHERE status <> 'Running' AND start_time < $cutoff;
            """;
        command.Parameters.AddWithValue("$cutoff", (clock.GetUtcNow() - Retention.MaxAge).UtcTicks);
        command.ExecuteNonQuery();
        command.Parameters.Clear();
        // The cap's first run to remove, found in the index of finished runs: ranking them by walking the table read
        // every run's page (about 20 MB each time at the default cap: most of the run store's pread calls).
        command.CommandText = "SELECT seq FROM runs WHERE status <> 'Running' ORDER BY seq DESC LIMIT 1 OFFSET $max";
        command.Parameters.AddWithValue("$max", Retention.MaxRuns);
        if (command.ExecuteScalar() is long beyondCap)
        {
            command.Parameters.Clear();
            command.CommandText = """
                DELETE FROM run_records WHERE run_id IN (SELECT id FROM runs WHERE seq <= $beyond AND status <> 'Running');
                DELETE FROM run_record_groups WHERE run_id IN (SELECT id FROM runs WHERE seq <= $beyond AND status <> 'Running');
                DELETE FROM runs WHERE seq <= $beyond AND status <> 'Running';
                """;
            command.Parameters.AddWithValue("$beyond", beyondCap);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private IEnumerable<(WorkflowRun Run, RunCheckpoint? Checkpoint)> Documents(string sql, params (string Name, object? Value)[] parameters)
    {
        var documents = new List<(byte[] Document, Dictionary<int, byte[]>? Records)>();
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) documents.Add(((byte[])reader.GetValue(0), null));
                reader.Close();
            }
            // Strings numbered by a host writing the file since this store read them (a read-only store), and the group
            // table a host creates when it first writes a file of an earlier format.
            if (readOnly)
            {
                RefreshStrings();
                if (!hasGroupTable) hasGroupTable = HasTable("run_record_groups");
            }
            // A version 2 document's stored records: one more query for each run.
            for (var i = 0; i < documents.Count; i++)
            {
                if (!RunDocument.MayReferToRecords(documents[i].Document)) continue;
                try
                {
                    documents[i] = (documents[i].Document, RecordsOf(RunDocument.IdOf(documents[i].Document)));
                }
                catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or FormatException or ArgumentOutOfRangeException)
                {
                    // A damaged header: the document is reported as unreadable below, as any other damage.
                }
            }
        }
        foreach (var (document, records) in documents)
        {
            (WorkflowRun, RunCheckpoint?) read;
            try
            {
                read = RunDocument.Read(document, records is null ? null : n => records.TryGetValue(n, out var record)
                    ? record
                    : throw new InvalidDataException($"The run's stored record {n} is missing."), strings);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A damaged document never stops the others from being read.
                log($"a run can't be read ({ex.GetType().Name}: {ex.Message})");
                continue;
            }
            yield return read;
        }
    }

    /// <summary>The records stored beside one run's documents, by number: rows of one record (format 3, and format 0's
    /// layout 2) and groups (format 4; a run resumed from an older file has both).</summary>
    private Dictionary<int, byte[]> RecordsOf(string runId)
    {
        var records = new Dictionary<int, byte[]>();
        using var command = connection.CreateCommand();
        // A row of run_records comes with a count of 0: one record, its bytes as they are (a group holds at least one).
        command.CommandText = hasGroupTable
            ? "SELECT n, 0, record FROM run_records WHERE run_id = $run UNION ALL SELECT first, count, records FROM run_record_groups WHERE run_id = $run"
            : "SELECT n, 0, record FROM run_records WHERE run_id = $run";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var (first, count, bytes) = (reader.GetInt32(0), reader.GetInt32(1), (byte[])reader.GetValue(2));
            if (count == 0) records[first] = bytes;
            else RecordGroup.Split(bytes, first, count, records);
        }
        return records;
    }

    /// <summary>Refuses a file a later version wrote (its documents may not read here, and writing would mix formats).</summary>
    private void RefuseLaterFormats()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var found = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (found <= FormatVersion) return;
        connection.Dispose();
        throw new RunStoreFormatException(Path,
            $"it was written by a later version (format {found}; this version reads formats up to {FormatVersion}): open it with that version, or start from an empty state folder");
    }

    /// <summary>Reads the strings numbered in the file since the last read (all of them at open). A file of an earlier
    /// format has no table: nothing to read.</summary>
    private void RefreshStrings()
    {
        using var command = connection.CreateCommand();
        if (!hasStringTable)
        {
            if (!HasTable("run_strings")) return;
            hasStringTable = true;
        }
        command.CommandText = "SELECT id, text FROM run_strings WHERE id >= $from ORDER BY id";
        command.Parameters.AddWithValue("$from", strings.Count);
        var read = new List<(long, string)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) read.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        strings.Load(read);
    }

    private bool HasTable(string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void EnsureWritable()
    {
        if (readOnly) throw new InvalidOperationException($"The run store {Path} was opened read-only.");
    }

    private void ThrowIfWriteFailed()
    {
        if (Interlocked.Exchange(ref writeFailure, null) is { } failure)
            throw new IOException($"Writing the run history to {Path} failed: {failure.Message}", failure);
    }
}

/// <summary>A run history file this version can't read (written by a later version). <see cref="Reason"/> says why,
/// without the path.</summary>
public sealed class RunStoreFormatException(string path, string reason) : IOException($"The run history {path} can't be used: {reason}.")
{
    public string Reason { get; } = reason;
}
