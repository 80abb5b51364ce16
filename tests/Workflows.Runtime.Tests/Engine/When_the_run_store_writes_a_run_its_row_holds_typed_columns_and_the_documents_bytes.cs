using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Engine;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>
/// The run store binds its rows on SQLite's own API (no parameter objects, documents bound from the serializer's buffer).
/// What lands in runs.db is what the Microsoft.Data.Sqlite parameters wrote before: text as text, ticks as integers, no
/// end time as NULL, the document as a blob of exactly the serializer's bytes, the records a write stores as one blob of
/// their bytes, each after its length, nothing more.
/// </summary>
[TestClass]
public sealed class When_the_run_store_writes_a_run_its_row_holds_typed_columns_and_the_documents_bytes : RunStoreFileSpecs
{
    [TestMethod]
    public async Task Run()
    {
        var app = Inline.Host("""
            { "Echo": { "type": "Compose", "inputs": "@triggerBody()", "runAfter": {} } }
            """, trigger: """{ "manual": { "type": "Request", "kind": "Http", "correlation": { "clientTrackingId": "@triggerBody()?['order']" } } }""").App;
        WorkflowRun run;
        long written;
        using (var store = SqliteRunStore.Open(File))
        using (var engine = new WorkflowEngine(app, new EngineOptions { RunHistory = store }))
        {
            var body = new JObject { ["order"] = "ordre-\u00e9\u4e2d\U0001F600", ["lines"] = new JArray(1, 2, 3) };
            run = await (await engine.InvokeRequestTriggerAsync(Inline.Name, null, "POST", null, body, null)).Run!.Completion.WaitAsync(Patience);
            store.Flush();
            written = store.WrittenBytes;
        }

        using var connection = new SqliteConnection($"Data Source={File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT typeof(id), typeof(workflow), typeof(status), typeof(start_time), typeof(end_time), typeof(client_tracking_id), typeof(document),
                   id, workflow, status, start_time, end_time, client_tracking_id, document
            FROM runs
            """;
        using var reader = command.ExecuteReader();
        Assert.IsTrue(reader.Read());
        CollectionAssert.AreEqual(new[] { "text", "text", "text", "integer", "integer", "text", "blob" }, Enumerable.Range(0, 7).Select(reader.GetString).ToArray());
        Assert.AreEqual(run.Id, reader.GetString(7));
        Assert.AreEqual(Inline.Name, reader.GetString(8));
        Assert.AreEqual("Succeeded", reader.GetString(9));
        Assert.AreEqual(run.StartTime.UtcTicks, reader.GetInt64(10));
        Assert.AreEqual(run.EndTime!.Value.UtcTicks, reader.GetInt64(11));
        Assert.AreEqual("ordre-\u00e9\u4e2d\U0001F600", reader.GetString(12), "the tracking id as UTF-8 text");
        var document = (byte[])reader.GetValue(13);
        Assert.IsFalse(reader.Read(), "one row for the run");

        // The records a write stores, one row (format 4): each record as its 7-bit encoded length, then its bytes.
        var records = new Dictionary<int, byte[]>();
        long groupBytes = 0;
        using var recordCommand = connection.CreateCommand();
        recordCommand.CommandText = "SELECT typeof(first), typeof(count), typeof(records), first, count, records FROM run_record_groups WHERE run_id = $run";
        recordCommand.Parameters.AddWithValue("$run", run.Id);
        using (var recordReader = recordCommand.ExecuteReader())
        {
            while (recordReader.Read())
            {
                CollectionAssert.AreEqual(new[] { "integer", "integer", "blob" }, Enumerable.Range(0, 3).Select(recordReader.GetString).ToArray());
                var (first, count, group) = (recordReader.GetInt32(3), recordReader.GetInt32(4), (byte[])recordReader.GetValue(5));
                groupBytes += group.Length;
                using var parts = new BinaryReader(new MemoryStream(group));
                for (var i = 0; i < count; i++) records[first + i] = parts.ReadBytes(parts.Read7BitEncodedInt());
                Assert.AreEqual(group.Length, parts.BaseStream.Position, "the group holds its records and nothing more");
            }
        }
        Assert.IsNotEmpty(records, "the trigger was stored once as a record when the run started");
        using (var oldRows = connection.CreateCommand())
        {
            oldRows.CommandText = "SELECT COUNT(*) FROM run_records";
            Assert.AreEqual(0L, (long)oldRows.ExecuteScalar()!, "format 4 writes no row of one record");
        }
        var strings = new List<(long, string)>();
        using (var stringCommand = connection.CreateCommand())
        {
            stringCommand.CommandText = "SELECT id, typeof(text), text FROM run_strings ORDER BY id";
            using var stringReader = stringCommand.ExecuteReader();
            while (stringReader.Read())
            {
                Assert.AreEqual("text", stringReader.GetString(1));
                strings.Add((stringReader.GetInt64(0), stringReader.GetString(2)));
            }
        }
        CollectionAssert.IsSubsetOf(new[] { Inline.Name, "manual", "Request", "Echo", "Compose", "OK" }, strings.Select(s => s.Item2).ToArray(),
            "the names the definition decides are stored once, as text");
        var table = new RunStrings();
        table.Load(strings);
        Assert.AreEqual(run.ToJson().ToString(), RunDocument.Read(document, n => records[n], table).Run.ToJson().ToString(), "the document reads back as the run showed");
        // The store counted every byte it wrote; the rows hold the final document and the records (an earlier in-progress
        // document of the run was replaced), so they are at most what was written, with nothing appended to any blob.
        Assert.IsLessThanOrEqualTo(written, document.Length + groupBytes);
    }
}
