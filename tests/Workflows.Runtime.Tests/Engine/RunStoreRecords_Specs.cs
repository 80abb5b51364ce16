using System.Text;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// A run is written many times (when it starts, at each checkpoint, when it finishes); its trigger and each completed
/// action record are stored once, beside its documents, and every later document refers to them; the records one write
/// stores are one row (format 4). Older runs.db files (every record inline in its documents, layout 1; one record a row,
/// layout 2 and format 3) still open, read and resume.
/// </summary>
[TestClass]
public sealed class RunStoreRecords_Specs : RunStoreFileSpecs
{
    private static readonly TimeSpan NoBatch = TimeSpan.FromHours(1);
    private const int PayloadChars = 100_000;
    private const string FourSteps = """
        {
          "First": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": {} }, "runAfter": {} },
          "Second": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": {} }, "runAfter": { "First": ["Succeeded"] } },
          "Third": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": {} }, "runAfter": { "Second": ["Succeeded"] } },
          "Fourth": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": {} }, "runAfter": { "Third": ["Succeeded"] } }
        }
        """;

    [TestMethod]
    public async Task A_large_trigger_and_action_outputs_are_stored_once_however_many_times_the_run_is_written()
    {
        WorkflowRun run;
        long written;
        var functions = new Steps();
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            // Each step takes a checkpoint first: the run is written when it starts, four times in progress, and finished.
            functions.OnStep = store.Flush;
            var payload = new JObject { ["order"] = new string('o', PayloadChars) };
            run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, payload, null)).Run!.Completion.WaitAsync(Patience);
            store.Flush();
            written = store.WrittenBytes;
        }
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());
        Assert.AreEqual(4, functions.Calls);

        // The trigger's payload once, and each of the four steps' outputs (one payload each) once: five payloads. Written
        // whole every time, the same run wrote 1 payload when it started, 1 + 2 + 3 + 4 in its checkpoints and 5 finished.
        Assert.IsLessThan(6 * PayloadChars, written, "bytes written for the run");
        var (documents, records) = BytesStoredFor(run.Id);
        Assert.IsLessThan(6 * PayloadChars, documents + records, $"documents {documents} B, records {records} B");
        Assert.IsLessThan(PayloadChars + PayloadChars / 10, documents,
            "the finished run's document refers to the stored records; only the step completed after the last checkpoint is inline");

        using var reader = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual(run.ToJson().ToString(), reader.Find(run.Id)!.ToJson().ToString(), "the run shows as it did");
    }

    [TestMethod]
    public async Task A_value_repeated_within_a_run_is_stored_once_and_shows_in_every_place()
    {
        const string Workflow = """
            {
              "Shape": { "type": "Compose", "inputs": { "order": "@triggerBody()", "lines": 2 }, "runAfter": {} },
              "Echo": { "type": "Compose", "inputs": "@outputs('Shape')?['order']?['customer']", "runAfter": { "Shape": ["Succeeded"] } },
              "Again": { "type": "Compose", "inputs": { "copy": "@outputs('Shape')", "note": "@concat('n', '1')" }, "runAfter": { "Echo": ["Succeeded"] } }
            }
            """;
        var order = new JObject
        {
            ["orderId"] = "o-9",
            ["customer"] = new JObject { ["name"] = "Zoë", ["notes"] = new string('c', PayloadChars / 4) },
            ["lines"] = new JArray(Enumerable.Range(0, 500).Select(i => new JObject { ["sku"] = $"MAT-{i}", ["qty"] = i % 7, ["price"] = i * 1.25 })),
        };
        WorkflowRun run;
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(Workflow).App, new EngineOptions { RunHistory = store }))
        {
            run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, order, null)).Run!.Completion.WaitAsync(Patience);
        }
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());

        // The order is the trigger's body, then in Shape's inputs and outputs, and twice more in Again's (Echo holds its
        // customer): six copies when each is written whole.
        var (documents, records) = BytesStoredFor(run.Id);
        var orderBytes = Encoding.UTF8.GetByteCount(order.ToString(Formatting.None));
        Assert.IsLessThan(orderBytes + orderBytes / 2, documents + records, $"order {orderBytes} B; documents {documents} B, records {records} B");

        using var reader = SqliteRunStore.OpenReadOnly(File);
        var read = reader.Find(run.Id)!;
        Assert.AreEqual(run.ToJson().ToString(), read.ToJson().ToString(), "the run shows as it did");
        Assert.IsTrue(JToken.DeepEquals(order, read.Action("Again").Outputs!["copy"]!["order"]));
        Assert.AreEqual(JTokenType.Float, read.Action("Shape").Outputs!["order"]!["lines"]![3]!["price"]!.Type);
    }

    [TestMethod]
    public void A_completed_records_values_are_frozen_once_for_the_store_and_the_runs_end()
    {
        var record = new ActionRun("Shape", "Compose", "tracking", "client", DateTimeOffset.UnixEpoch)
        {
            RawOutputs = new JObject { ["order"] = new JObject { ["lines"] = new JArray(1, 2, 3) } },
            IsCompleted = true,
        };

        var written = record.StoredOutputs.Frozen;
        record.ReleaseRecord();

        Assert.IsNotNull(written, "the store writes the frozen form");
        Assert.AreSame(written, record.StoredOutputs.Frozen, "the run's end keeps the form made for the store instead of freezing again");
        Assert.AreEqual(3, record.Outputs!["order"]!["lines"]!.Count());
    }

    [TestMethod]
    public async Task A_run_killed_after_checkpoints_resumes_from_its_stored_records()
    {
        var functions = new Steps();
        string killed;
        string id;
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            string? copy = null;
            functions.OnStep = () =>
            {
                store.Flush();
                if (functions.Calls == 3) copy ??= Kill();
            };
            var run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-1" }, null)).Run!.Completion.WaitAsync(Patience);
            id = run.Id;
            killed = copy!;
        }

        functions.OnStep = null;
        using (var store = SqliteRunStore.Open(killed, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            var unfinished = store.Unfinished().Single();
            CollectionAssert.AreEqual(new[] { "First", "Second" }, unfinished.Completed.Select(a => a.Name).ToArray(), "the last checkpoint's completed records");
            var resumed = await (await engine.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);
            Assert.AreEqual(id, resumed.Id);
            Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
            Assert.AreEqual("step 1", (string?)resumed.Action("First").Outputs!["body"]!["body"], "the first step replayed from its stored record");
        }
        using var reader = SqliteRunStore.OpenReadOnly(killed);
        var read = reader.Find(id)!;
        Assert.AreEqual(WorkflowStatus.Succeeded, read.Status);
        Assert.AreEqual("step 1", (string?)read.Action("First").Outputs!["body"]!["body"]);
        Assert.AreEqual("step 6", (string?)read.Action("Fourth").Outputs!["body"]!["body"], "steps 3 and 4 ran again after the kill (calls 5 and 6)");
    }

    [TestMethod]
    public async Task Retention_removes_a_runs_stored_records_with_it()
    {
        var clock = new ManualClock();
        var functions = new Steps();
        using var store = SqliteRunStore.Open(File, new RunRetention(TimeSpan.FromDays(7), MaxRuns: 2), clock, flushInterval: NoBatch);
        using var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions, TimeProvider = clock, Delay = clock.DelayAsync });
        functions.OnStep = store.Flush;
        var ids = new List<string>();
        for (var n = 0; n < 4; n++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            ids.Add((await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["n"] = n }, null)).Run!.Completion.WaitAsync(Patience)).Id);
            store.Flush();
        }

        CollectionAssert.AreEquivalent(ids.Skip(2).ToArray(), RunIdsWithRecords(), "records only for the two runs kept");
        clock.Advance(TimeSpan.FromDays(8));
        store.Flush();
        Assert.AreEqual(0, store.Count());
        Assert.IsEmpty(RunIdsWithRecords(), "records of runs past the retention are gone");
    }

    [TestMethod]
    public async Task The_records_one_write_of_a_run_stores_are_one_row()
    {
        const string Workflow = """
            {
              "A": { "type": "Compose", "inputs": "a", "runAfter": {} },
              "B": { "type": "Compose", "inputs": "@concat(outputs('A'), 'b')", "runAfter": { "A": ["Succeeded"] } },
              "C": { "type": "Compose", "inputs": "@concat(outputs('B'), 'c')", "runAfter": { "B": ["Succeeded"] } },
              "Step": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": {} }, "runAfter": { "C": ["Succeeded"] } },
              "D": { "type": "Compose", "inputs": "@body('Step')", "runAfter": { "Step": ["Succeeded"] } }
            }
            """;
        var functions = new Steps();
        WorkflowRun run;
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(Workflow).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            // The run is stored when it starts (its trigger), checkpointed once when Step starts (A, B and C completed since),
            // and written finished (Step and D inline in its document).
            functions.OnStep = store.Flush;
            run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-1" }, null)).Run!.Completion.WaitAsync(Patience);
            store.Flush();
        }
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());

        using (var connection = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT first, count FROM run_record_groups WHERE run_id = $run ORDER BY first";
            command.Parameters.AddWithValue("$run", run.Id);
            var rows = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) rows.Add($"{reader.GetInt32(0)}+{reader.GetInt32(1)}");
            }
            CollectionAssert.AreEqual(new[] { "0+1", "1+3" }, rows, "the trigger's row, then A, B and C in one row");
        }
        using var read = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual(run.ToJson().ToString(), read.Find(run.Id)!.ToJson().ToString(), "the run shows as it did");
        Assert.AreEqual("abc", (string?)read.Find(run.Id)!.Action("C").Outputs, "a record read from the middle of its group");
    }

    /// <summary>A runs.db of format 3 (documents of layout 3, each stored record a row of its own in run_records, no
    /// run_record_groups). Written here as this version writes, then turned into what format 3 wrote (the groups split
    /// into one row per record, their bytes unchanged: the records' layout is the same). Its finished run reads, its run
    /// killed after checkpoints resumes (its next records stored in groups), and both read afterwards.</summary>
    [TestMethod]
    public async Task A_runs_db_of_format_3_opens_and_its_runs_read_and_resume()
    {
        var functions = new Steps();
        string killed, done, open;
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            string? copy = null;
            functions.OnStep = () =>
            {
                store.Flush();
                if (functions.Calls == 7) copy ??= Kill();
            };
            done = (await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-1" }, null)).Run!.Completion.WaitAsync(Patience)).Id;
            open = (await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-2" }, null)).Run!.Completion.WaitAsync(Patience)).Id;
            killed = copy!;
        }
        var finishedBefore = AsFormatThree(killed);
        Assert.IsGreaterThan(0, finishedBefore, "the file had stored records to split");

        using (var reader = SqliteRunStore.OpenReadOnly(killed))
        {
            var first = reader.Find(done)!;
            Assert.AreEqual(WorkflowStatus.Succeeded, first.Status);
            Assert.AreEqual("step 1", (string?)first.Action("First").Outputs!["body"]!["body"], "read from the format 3 file as it is (read-only)");
            Assert.AreEqual("o-1", (string?)first.Trigger.Outputs!["body"]!["order"]);
        }

        functions.OnStep = null;
        using (var store = SqliteRunStore.Open(killed, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            CollectionAssert.AreEqual(new[] { "First", "Second" }, store.Unfinished().Single().Completed.Select(a => a.Name).ToArray(), "the last checkpoint's records, from run_records");
            var resumed = await (await engine.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);
            Assert.AreEqual(open, resumed.Id);
            Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
        }
        using (var connection = new SqliteConnection($"Data Source={killed};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            Assert.AreEqual(4L, (long)command.ExecuteScalar()!, "a host that writes the file marks it format 4");
        }
        using var after = SqliteRunStore.OpenReadOnly(killed);
        Assert.AreEqual(2, after.Query(new RunQuery(Status: WorkflowStatus.Succeeded)).Count, "both formats read in one file");
        var resumedRun = after.Find(open)!;
        Assert.AreEqual("step 5", (string?)resumedRun.Action("First").Outputs!["body"]!["body"], "replayed from its format 3 record");
        Assert.AreEqual("o-2", (string?)resumedRun.Trigger.Outputs!["body"]!["order"]);
    }

    /// <summary>An operator's read-only view opened on a format 3 file keeps reading it after a host starts writing it
    /// (the host adds run_record_groups): the runs the host writes, records in groups, read in the same view.</summary>
    [TestMethod]
    public async Task A_view_opened_on_a_format_3_file_reads_the_runs_a_host_writes_in_it_afterwards()
    {
        var functions = new Steps();
        string first, second;
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            functions.OnStep = store.Flush;
            first = (await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-1" }, null)).Run!.Completion.WaitAsync(Patience)).Id;
        }
        AsFormatThree(File);

        using var view = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual("step 1", (string?)view.Find(first)!.Action("First").Outputs!["body"]!["body"]);
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            functions.OnStep = store.Flush;
            second = (await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, new JObject { ["order"] = "o-2" }, null)).Run!.Completion.WaitAsync(Patience)).Id;
            store.Flush();
        }
        var read = view.Find(second)!;
        Assert.AreEqual(WorkflowStatus.Succeeded, read.Status);
        Assert.AreEqual("step 5", (string?)read.Action("First").Outputs!["body"]!["body"], "a record the host stored in a group");
        Assert.AreEqual(2, view.Query(new RunQuery(Status: WorkflowStatus.Succeeded)).Count);
    }

    /// <summary>Turns a runs.db this version wrote into what format 3 wrote: each record of each group a row of
    /// run_records (record bytes as they are), no run_record_groups, user_version 3. The number of records moved.</summary>
    private static int AsFormatThree(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        var rows = new List<(string Run, int N, byte[] Record)>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT run_id, first, count, records FROM run_record_groups";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                using var parts = new BinaryReader(new MemoryStream((byte[])reader.GetValue(3)));
                for (var i = 0; i < reader.GetInt32(2); i++) rows.Add((reader.GetString(0), reader.GetInt32(1) + i, parts.ReadBytes(parts.Read7BitEncodedInt())));
            }
        }
        foreach (var (run, n, record) in rows)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO run_records (run_id, n, record) VALUES ($run, $n, $record)";
            insert.Parameters.AddWithValue("$run", run);
            insert.Parameters.AddWithValue("$n", n);
            insert.Parameters.AddWithValue("$record", record);
            insert.ExecuteNonQuery();
        }
        using var drop = connection.CreateCommand();
        drop.CommandText = "DROP TABLE run_record_groups; PRAGMA user_version = 3;";
        drop.ExecuteNonQuery();
        return rows.Count;
    }

    /// <summary>A runs.db written before records were stored apart: its documents (layout 1) hold every record inline and
    /// there is no run_records table. It opens, its finished run reads, and its run in progress resumes.</summary>
    [TestMethod]
    public async Task A_runs_db_of_the_first_layout_opens_and_its_runs_read_and_resume()
    {
        var start = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        using (var old = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, workflow TEXT NOT NULL, status TEXT NOT NULL,
                    start_time INTEGER NOT NULL, end_time INTEGER, client_tracking_id TEXT NOT NULL, document BLOB NOT NULL);
                """;
            create.ExecuteNonQuery();
            Insert(old, "08584000000000000001000000000CU00", "Succeeded", start, LayoutOne("08584000000000000001000000000CU00", WorkflowStatus.Succeeded, start, inProgress: false, "First", "Second"));
            Insert(old, "08584000000000000002000000000CU00", "Running", start, LayoutOne("08584000000000000002000000000CU00", WorkflowStatus.Running, start, inProgress: true, "First"));
        }

        using (var reader = SqliteRunStore.OpenReadOnly(File))
        {
            var done = reader.Find("08584000000000000001000000000CU00")!;
            Assert.AreEqual(WorkflowStatus.Succeeded, done.Status);
            Assert.AreEqual("old First", (string?)done.Action("Second").Outputs, "read from the old file as it is (read-only: no migration)");
            Assert.AreEqual("o-old", (string?)done.Trigger.Outputs["body"]!["order"]);
        }

        var functions = new Steps();
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            functions.OnStep = store.Flush;
            var resumed = await (await engine.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);
            Assert.AreEqual("08584000000000000002000000000CU00", resumed.Id);
            Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
            Assert.AreEqual(3, functions.Calls, "First was replayed from the old checkpoint");
        }
        using var after = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual(2, after.Query(new RunQuery(Status: WorkflowStatus.Succeeded)).Count, "both layouts read in one file");
        Assert.AreEqual("old First", (string?)after.Find("08584000000000000002000000000CU00")!.Action("First").Outputs);
    }

    /// <summary>A runs.db of the format before the string table (format 0, documents of layout 2: the trigger stored once
    /// in run_records, names and ids as text, counts as four bytes). It opens, its finished run reads, its run in progress
    /// resumes (storing its records again in layout 3), and both read together afterwards.</summary>
    [TestMethod]
    public async Task A_runs_db_of_the_second_layout_opens_and_its_runs_read_and_resume()
    {
        var start = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        const string Done = "08584000000000000003000000000CU00", Open = "08584000000000000004000000000CU00";
        using (var old = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, workflow TEXT NOT NULL, status TEXT NOT NULL,
                    start_time INTEGER NOT NULL, end_time INTEGER, client_tracking_id TEXT NOT NULL, document BLOB NOT NULL);
                CREATE TABLE run_records (run_id TEXT NOT NULL, n INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (run_id, n));
                """;
            create.ExecuteNonQuery();
            foreach (var id in new[] { Done, Open })
            {
                using var record = old.CreateCommand();
                record.CommandText = "INSERT INTO run_records (run_id, n, record) VALUES ($run, 0, $record)";
                record.Parameters.AddWithValue("$run", id);
                record.Parameters.AddWithValue("$record", LayoutTwoTrigger(start));
                record.ExecuteNonQuery();
            }
            Insert(old, Done, "Succeeded", start, LayoutTwo(Done, WorkflowStatus.Succeeded, start, inProgress: false, "First", "Second"));
            Insert(old, Open, "Running", start, LayoutTwo(Open, WorkflowStatus.Running, start, inProgress: true, "First"));
        }

        using (var reader = SqliteRunStore.OpenReadOnly(File))
        {
            var done = reader.Find(Done)!;
            Assert.AreEqual(WorkflowStatus.Succeeded, done.Status);
            Assert.AreEqual("old First", (string?)done.Action("Second").Outputs, "read from the old file as it is (read-only: no migration)");
            Assert.AreEqual("action-tracking", done.Action("Second").TrackingId);
            Assert.AreEqual("tracking-old", done.Action("Second").ClientTrackingId);
            Assert.AreEqual("o-old", (string?)done.Trigger.Outputs["body"]!["order"], "the trigger, from its stored record");
        }

        var functions = new Steps();
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(FourSteps).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            functions.OnStep = store.Flush;
            var resumed = await (await engine.ResumeUnfinishedRunsAsync()).Single().Completion.WaitAsync(Patience);
            Assert.AreEqual(Open, resumed.Id);
            Assert.AreEqual(WorkflowStatus.Succeeded, resumed.Status, resumed.Describe());
            Assert.AreEqual(3, functions.Calls, "First was replayed from the old checkpoint");
        }
        using var after = SqliteRunStore.OpenReadOnly(File);
        Assert.AreEqual(2, after.Query(new RunQuery(Status: WorkflowStatus.Succeeded)).Count, "both layouts read in one file");
        var finished = after.Find(Open)!;
        Assert.AreEqual("old First", (string?)finished.Action("First").Outputs);
        Assert.AreEqual("action-tracking", finished.Action("First").TrackingId, "an id that is not a GUID kept as text");
        Assert.AreEqual("o-old", (string?)finished.Trigger.Outputs["body"]!["order"]);
    }

    private static void OldTime(BinaryWriter writer, DateTimeOffset? time)
    {
        writer.Write(time.HasValue);
        if (time is not { } value) return;
        writer.Write(value.UtcTicks);
        writer.Write((short)0);
    }

    private static void OldJson(BinaryWriter writer, JToken? value)
    {
        if (value is null)
        {
            writer.Write((byte)0);
            return;
        }
        writer.Write((byte)2);
        writer.Write(value.ToString(Formatting.None));
    }

    /// <summary>A trigger record as layouts 1 and 2 wrote it (inline in layout 1, run_records row 0 in layout 2).</summary>
    private static void OldTrigger(BinaryWriter writer, DateTimeOffset start)
    {
        writer.Write("manual");
        writer.Write("Request");
        OldJson(writer, null);
        OldJson(writer, new JObject { ["headers"] = new JObject(), ["body"] = new JObject { ["order"] = "o-old" } });
        OldTime(writer, start);
        writer.Write("trigger-tracking");
        writer.Write(false);
        writer.Write(false);
        OldTime(writer, null);
        writer.Write("tracking-old");
    }

    private static byte[] LayoutTwoTrigger(DateTimeOffset start)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) OldTrigger(writer, start);
        return stream.ToArray();
    }

    /// <summary>Layout 1 of a run document, written field by field as the first store wrote it (JSON values as text).</summary>
    private static byte[] LayoutOne(string id, WorkflowStatus status, DateTimeOffset start, bool inProgress, params string[] actions) =>
        OldLayout(1, id, status, start, inProgress, actions);

    /// <summary>Layout 2 of a run document, as the second store wrote it: records tagged, the trigger a reference to stored
    /// record 0, the actions inline.</summary>
    private static byte[] LayoutTwo(string id, WorkflowStatus status, DateTimeOffset start, bool inProgress, params string[] actions) =>
        OldLayout(2, id, status, start, inProgress, actions);

    private static byte[] OldLayout(byte version, string id, WorkflowStatus status, DateTimeOffset start, bool inProgress, string[] actions)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(version);
            writer.Write((byte)(inProgress ? 1 : 0));
            writer.Write(id);
            writer.Write(Inline.Name);
            writer.Write((byte)status);
            writer.Write("tracking-old");
            OldTime(writer, start);
            OldTime(writer, inProgress ? null : start.AddSeconds(1));
            writer.Write(false); // resubmitted from
            OldJson(writer, null); // error
            writer.Write(false); // response
            if (version == 1)
            {
                OldTrigger(writer, start);
            }
            else
            {
                writer.Write((byte)1); // the trigger: stored record 0
                writer.Write(0);
            }
            writer.Write(actions.Length);
            foreach (var action in actions)
            {
                if (version == 2) writer.Write((byte)0); // inline
                writer.Write(action);
                writer.Write("InvokeFunction");
                writer.Write((byte)WorkflowStatus.Succeeded);
                writer.Write("OK");
                OldTime(writer, start);
                OldTime(writer, start);
                writer.Write("action-tracking");
                writer.Write("tracking-old");
                OldJson(writer, new JObject { ["functionName"] = "Step" });
                OldJson(writer, "old First");
                writer.Write(false);
                writer.Write(false);
                writer.Write((byte)1);
                OldJson(writer, null); // error
                writer.Write(0); // retries
                OldJson(writer, null); // tracked properties
                writer.Write(0); // repetition indexes
                writer.Write(-1); // iterations
                writer.Write(true); // completed
                writer.Write(0); // repetitions
            }
            if (inProgress)
            {
                writer.Write(0); // variables
                writer.Write(0); // waits
            }
        }
        return stream.ToArray();
    }

    private static void Insert(SqliteConnection connection, string id, string status, DateTimeOffset start, byte[] document)
    {
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO runs (id, workflow, status, start_time, client_tracking_id, document) VALUES ($id, $workflow, $status, $start, 'tracking-old', $document)";
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$workflow", Inline.Name);
        insert.Parameters.AddWithValue("$status", status);
        insert.Parameters.AddWithValue("$start", start.UtcTicks);
        insert.Parameters.AddWithValue("$document", document);
        insert.ExecuteNonQuery();
    }

    private (long Documents, long Records) BytesStoredFor(string runId)
    {
        using var connection = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COALESCE(SUM(LENGTH(document)), 0) FROM runs WHERE id = $id),
                   (SELECT COALESCE(SUM(LENGTH(record)), 0) FROM run_records WHERE run_id = $id)
                   + (SELECT COALESCE(SUM(LENGTH(records)), 0) FROM run_record_groups WHERE run_id = $id)
            """;
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private string[] RunIdsWithRecords()
    {
        using var connection = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id FROM run_records UNION SELECT run_id FROM run_record_groups";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids.ToArray();
    }

    /// <summary>What SIGKILL leaves now: the database and its write-ahead log as they are.</summary>
    private string Kill()
    {
        var copy = Path.Combine(Folder, "killed", "runs.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        System.IO.File.Copy(File, copy);
        if (System.IO.File.Exists(File + "-wal")) System.IO.File.Copy(File + "-wal", copy + "-wal");
        return copy;
    }

    /// <summary>Each step returns a payload as large as the trigger's, then "step N" is readable in its outputs' body.</summary>
    [TestMethod]
    public async Task A_trigger_body_passed_whole_to_a_function_reads_back_from_the_file_in_the_trigger_and_the_functions_inputs()
    {
        const string passesTheBody = """
            {
              "Call": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": { "message": "@triggerBody()" } }, "runAfter": {} },
              "Again": { "type": "InvokeFunction", "inputs": { "functionName": "Step", "parameters": { "message": "@triggerBody()", "first": "@body('Call')" } }, "runAfter": { "Call": ["Succeeded"] } }
            }
            """;
        var order = new JObject { ["orderId"] = "o-1", ["note"] = new string('n', 2_000), ["lines"] = new JArray(new JObject { ["sku"] = "X", ["qty"] = 2 }) };
        WorkflowRun run;
        var functions = new Steps();
        using (var store = SqliteRunStore.Open(File, flushInterval: NoBatch))
        using (var engine = new WorkflowEngine(Inline.Host(passesTheBody).App, new EngineOptions { RunHistory = store, FunctionInvoker = functions }))
        {
            // A checkpoint between the two calls: the first call's record is frozen by the store's writer, the second at the run's end.
            functions.OnStep = store.Flush;
            run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, (JObject)order.DeepClone(), null)).Run!.Completion.WaitAsync(Patience);
            store.Flush();
        }
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());

        using var reader = SqliteRunStore.OpenReadOnly(File);
        var read = reader.Find(run.Id)!;
        Assert.IsTrue(JToken.DeepEquals(order, read.Trigger.Outputs["body"]));
        Assert.IsTrue(JToken.DeepEquals(order, read.Action("Call").Inputs!["parameters"]!["message"]), read.Action("Call").Inputs!.ToString());
        Assert.IsTrue(JToken.DeepEquals(order, read.Action("Again").Inputs!["parameters"]!["message"]));
        Assert.AreEqual(run.ToJson().ToString(), read.ToJson().ToString(), "the run shows as it did");
    }

    private sealed class Steps : IFunctionInvoker
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public Action? OnStep;

        public bool HasFunction(string functionName) => functionName == "Step";

        public Task<JToken> InvokeAsync(string functionName, JObject parameters, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref calls);
            OnStep?.Invoke();
            return Task.FromResult<JToken>(new JObject { ["body"] = $"step {call}", ["payload"] = new string('p', PayloadChars) });
        }
    }
}
