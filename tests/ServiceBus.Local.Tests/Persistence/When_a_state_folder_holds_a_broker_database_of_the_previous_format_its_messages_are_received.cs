using Microsoft.Data.Sqlite;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;
using ServiceBus.Local.Tests.Infrastructure;
using TestSupport;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A broker database written by the versions before message documents became UTF-8 BLOBs (documents as
/// JSON text, bodies in their column or, older still, Base64 inside the document; no format number) is read as it is:
/// its messages are received with their bodies and typed properties, and numbering continues where it stopped.</summary>
[TestClass]
public sealed class When_a_state_folder_holds_a_broker_database_of_the_previous_format_its_messages_are_received
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private string path = null!;

    [TestInitialize]
    public void WriteDatabaseOfThePreviousFormat()
    {
        path = Path.Combine(Path.GetTempPath(), $"sb-previous-format-{Guid.NewGuid():N}.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // The schema and documents as the previous version wrote them (Newtonsoft JsonTextWriter, dates in "o" form).
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE messages (storage_path TEXT NOT NULL COLLATE NOCASE, sequence_number INTEGER NOT NULL, document TEXT NOT NULL, body BLOB, PRIMARY KEY (storage_path, sequence_number));
            CREATE TABLE sequences (entity_path TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, last_sequence INTEGER NOT NULL);
            CREATE TABLE duplicates (entity_path TEXT NOT NULL COLLATE NOCASE, message_id TEXT NOT NULL, expires_at TEXT NOT NULL, sequence_number INTEGER NOT NULL, PRIMARY KEY (entity_path, message_id));
            CREATE TABLE session_states (entity_path TEXT NOT NULL COLLATE NOCASE, session_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (entity_path, session_id));
            INSERT INTO sequences VALUES ('work', 7);
            INSERT INTO messages VALUES ('work', 6, '{"contentType":"application/json","messageId":"order-6","correlationId":"corr-6 é","sessionId":null,"replyTo":null,"replyToSessionId":null,"to":null,"subject":"OrderCreated","partitionKey":null,"timeToLive":36000000000,"scheduledEnqueueTime":null,"sequenceNumber":6,"enqueuedSequenceNumber":0,"enqueuedTime":"2026-03-01T09:00:00.0000000+00:00","expiresAt":"2026-03-01T10:00:00.0000000+00:00","failedDeliveries":0,"state":"Active","lockToken":null,"lockedUntil":null,"deadLetterSource":null,"transferHopCount":0,"applicationProperties":{"orderId":{"type":"String","value":"B-6 \"quoted\""},"lines":{"type":"Int32","value":"12"}}}', CAST('{"orderId":"B-6"}' AS BLOB));
            INSERT INTO messages VALUES ('work', 7, '{"body":"eyJvcmRlcklkIjoiQi03In0=","contentType":"application/json","messageId":"order-7","correlationId":null,"sessionId":null,"replyTo":null,"replyToSessionId":null,"to":null,"subject":"OrderCreated","partitionKey":null,"timeToLive":36000000000,"scheduledEnqueueTime":null,"sequenceNumber":7,"enqueuedSequenceNumber":0,"enqueuedTime":"2026-03-01T09:00:00.0000000+00:00","expiresAt":"2026-03-01T10:00:00.0000000+00:00","failedDeliveries":0,"state":"Active","lockToken":null,"lockedUntil":null,"deadLetterSource":null,"transferHopCount":0,"applicationProperties":{}}', NULL);
            """;
        command.ExecuteNonQuery();
    }

    [TestCleanup]
    public void DeleteDatabase()
    {
        BrokerDatabaseFiles.Delete(path);
    }

    [TestMethod]
    public async Task Its_messages_are_received_with_their_bodies_and_properties_and_new_ones_are_numbered_after_them()
    {
        var topology = new Topology();
        topology.AddQueue("work");
        // The broker does not own a store it is handed: each is closed after its broker (the store keeps the file locked).
        using (var store = new SqliteMessageStore(path))
        using (var bus = LocalServiceBus.Create(topology, new ManualClock(Start), store))
        {
            await bus.SendAsync("work", new ServiceBusMessage("{\"orderId\":\"B-8\"}") { MessageId = "order-8" });
            var receiver = bus.CreateReceiver("work");
            var received = await receiver.ReceiveAsync(10, TimeSpan.Zero);

            Assert.AreEqual(3, received.Count);
            Assert.AreEqual("order-6", received[0].MessageId);
            Assert.AreEqual(6L, received[0].SequenceNumber);
            Assert.AreEqual("{\"orderId\":\"B-6\"}", System.Text.Encoding.UTF8.GetString(received[0].Body.ToArray()));
            Assert.AreEqual("corr-6 é", received[0].CorrelationId);
            Assert.AreEqual("B-6 \"quoted\"", received[0].ApplicationProperties["orderId"]);
            Assert.AreEqual(12, received[0].ApplicationProperties["lines"]);
            Assert.AreEqual(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), received[0].ExpiresAt);
            Assert.AreEqual("order-7", received[1].MessageId);
            Assert.AreEqual("{\"orderId\":\"B-7\"}", System.Text.Encoding.UTF8.GetString(received[1].Body.ToArray()), "a body kept inside the document of the oldest format");
            Assert.AreEqual("order-8", received[2].MessageId);
            Assert.AreEqual(8L, received[2].SequenceNumber);
            await receiver.CompleteAsync(received[0]);
        }

        // Opened again by this version: the rewritten and the untouched rows read alike.
        var again = new Topology();
        again.AddQueue("work");
        using (var store = new SqliteMessageStore(path))
        using (var bus = LocalServiceBus.Create(again, new ManualClock(Start), store))
        {
            var received = await bus.CreateReceiver("work").ReceiveAsync(10, TimeSpan.Zero);
            CollectionAssert.AreEqual(new[] { "order-7", "order-8" }, received.Select(m => m.MessageId).ToArray());
            CollectionAssert.AreEqual(new[] { "{\"orderId\":\"B-7\"}", "{\"orderId\":\"B-8\"}" }, received.Select(m => System.Text.Encoding.UTF8.GetString(m.Body.ToArray())).ToArray());
        }
    }
}
