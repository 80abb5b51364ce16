using Microsoft.Data.Sqlite;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;
using ServiceBus.Local.Tests.Infrastructure;
using TestSupport;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A broker database of format 2 (every body in its message's row, documents UTF-8 BLOBs) opens as format 3:
/// its messages, small and large, are received with their bodies (read back from the store beyond the payload window),
/// new ones are numbered after them, and the file then says format 3.</summary>
[TestClass]
public sealed class When_a_state_folder_holds_a_broker_database_of_format_2_every_message_reads_back_its_body
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] SmallBody = "{\"orderId\":\"B-1\"}"u8.ToArray();
    private static readonly byte[] LargeBody = LargeOrder();
    private string path = null!;

    private static byte[] LargeOrder()
    {
        var body = new byte[50_000];
        new Random(11).NextBytes(body);
        return body;
    }

    private static string Document(long sequence) =>
        """{"contentType":"application/json","messageId":"order-SEQ","correlationId":null,"sessionId":null,"replyTo":null,"replyToSessionId":null,"to":null,"subject":"OrderCreated","partitionKey":null,"timeToLive":36000000000,"scheduledEnqueueTime":null,"sequenceNumber":SEQ,"enqueuedSequenceNumber":0,"enqueuedTime":"2026-03-01T09:00:00+00:00","expiresAt":"2026-03-01T10:00:00+00:00","failedDeliveries":0,"state":"Active","lockToken":null,"lockedUntil":null,"deadLetterSource":null,"transferHopCount":0,"applicationProperties":{"lines":{"type":"Int32","value":"SEQ"}}}""".Replace("SEQ", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [TestInitialize]
    public void WriteDatabaseOfFormat2()
    {
        path = Path.Combine(Path.GetTempPath(), $"sb-format-2-{Guid.NewGuid():N}.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // The schema as format 2 wrote it.
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE messages (storage_path TEXT NOT NULL COLLATE NOCASE, sequence_number INTEGER NOT NULL, document TEXT NOT NULL, body BLOB, PRIMARY KEY (storage_path, sequence_number));
            CREATE TABLE sequences (entity_path TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, last_sequence INTEGER NOT NULL);
            CREATE TABLE duplicates (entity_path TEXT NOT NULL COLLATE NOCASE, message_id TEXT NOT NULL, expires_at TEXT NOT NULL, sequence_number INTEGER NOT NULL, PRIMARY KEY (entity_path, message_id));
            CREATE TABLE session_states (entity_path TEXT NOT NULL COLLATE NOCASE, session_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (entity_path, session_id));
            INSERT INTO sequences VALUES ('work', 3);
            INSERT INTO messages VALUES ('work', 1, $d1, $b1), ('work', 2, $d2, $b2), ('work', 3, $d3, $b3);
            PRAGMA user_version = 2;
            """;
        command.Parameters.AddWithValue("$d1", System.Text.Encoding.UTF8.GetBytes(Document(1)));
        command.Parameters.AddWithValue("$d2", System.Text.Encoding.UTF8.GetBytes(Document(2)));
        command.Parameters.AddWithValue("$d3", System.Text.Encoding.UTF8.GetBytes(Document(3)));
        command.Parameters.AddWithValue("$b1", SmallBody);
        command.Parameters.AddWithValue("$b2", LargeBody);
        command.Parameters.AddWithValue("$b3", SmallBody);
        command.ExecuteNonQuery();
    }

    [TestCleanup]
    public void DeleteDatabase()
    {
        BrokerDatabaseFiles.Delete(path);
    }

    [TestMethod]
    public async Task Its_messages_are_received_with_their_bodies_and_the_file_is_format_3()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        IReadOnlyList<ServiceBusReceivedMessage> received;
        // The broker does not own a store it is handed: each is closed after its broker (the store keeps the file locked).
        using (var store = new SqliteMessageStore(path))
        using (var bus = LocalServiceBus.Create(topology, new ManualClock(Start), store, payloadsInMemoryPerEntity: 1))
        {
            await bus.SendAsync("work", new ServiceBusMessage(LargeBody) { MessageId = "order-4" });
            received = await bus.CreateReceiver("work").ReceiveAsync(10, TimeSpan.Zero);
        }

        CollectionAssert.AreEqual(new[] { "order-1", "order-2", "order-3", "order-4" }, received.Select(m => m.MessageId).ToArray());
        CollectionAssert.AreEqual(new[] { 1L, 2L, 3L, 4L }, received.Select(m => m.SequenceNumber).ToArray());
        CollectionAssert.AreEqual(SmallBody, received[0].Body.ToArray());
        CollectionAssert.AreEqual(LargeBody, received[1].Body.ToArray());
        CollectionAssert.AreEqual(SmallBody, received[2].Body.ToArray());
        CollectionAssert.AreEqual(LargeBody, received[3].Body.ToArray());
        Assert.AreEqual(2, received[1].ApplicationProperties["lines"]);
        using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.AreEqual(3L, version.ExecuteScalar());
    }
}
