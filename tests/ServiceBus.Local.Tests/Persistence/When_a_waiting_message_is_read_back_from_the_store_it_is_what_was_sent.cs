using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Tests.Infrastructure;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A waiting message beyond the payload window keeps neither its body nor its properties in memory; what a
/// receive, a peek, a restart or a dead-lettering reads back from the store is byte for byte, type for type, what was
/// sent.</summary>
public abstract class When_a_waiting_message_is_read_back_from_the_store_it_is_what_was_sent : BrokerSpec
{
    private const int Window = 2;
    private const int Count = 8;

    protected override int PayloadsInMemoryPerEntity => Window;

    protected override Topology CreateTopology()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => { q.DeadLetteringOnMessageExpiration = true; });
        topology.AddQueue("sessions", q => q.RequiresSession = true);
        return topology;
    }

    /// <summary>Every property a sender can set, every application property type the SDK accepts, and a binary body
    /// with every byte value (not valid UTF-8).</summary>
    private static ServiceBusMessage Sent(int i, string? sessionId = null)
    {
        var body = Enumerable.Range(0, 256).Select(b => (byte)((b + i) % 256)).Concat(new byte[] { 0, 0xFF, 0xC0, (byte)i }).ToArray();
        var m = new ServiceBusMessage(body)
        {
            MessageId = $"id-{i}",
            CorrelationId = $"corr-{i} é ✓",
            SessionId = sessionId,
            ContentType = "application/octet-stream",
            ReplyTo = "replies",
            ReplyToSessionId = $"reply-session-{i}",
            To = "warehouse",
            Subject = "OrderCreated",
            PartitionKey = sessionId,
            TimeToLive = TimeSpan.FromMinutes(30) + TimeSpan.FromTicks(i),
        };
        var p = m.ApplicationProperties;
        p["string"] = $"text {i} with \"quotes\", \\ and ünïcødé";
        p["empty"] = "";
        p["null"] = null;
        p["bool"] = true;
        p["byte"] = (byte)(200 + i);
        p["sbyte"] = (sbyte)-i;
        p["short"] = (short)-30000;
        p["ushort"] = (ushort)60000;
        p["int"] = int.MinValue + i;
        p["uint"] = uint.MaxValue - (uint)i;
        p["long"] = long.MaxValue - i;
        p["ulong"] = ulong.MaxValue - (ulong)i;
        p["float"] = 0.1f * (i + 1);
        p["double"] = Math.PI * (i + 1);
        p["decimal"] = 1234567890.123456789m + i;
        p["char"] = (char)('a' + i);
        p["guid"] = new Guid(i, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        p["dateTime"] = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc).AddTicks(1234567 + i);
        p["dateTimeOffset"] = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(7654321 + i);
        p["timeSpan"] = TimeSpan.FromTicks(98765432101 + i);
        p["uri"] = new Uri($"https://example.com/orders/{i}?q=a%20b");
        return m;
    }

    private static void AssertIdentical(ServiceBusMessage sent, ServiceBusReceivedMessage got)
    {
        CollectionAssert.AreEqual(sent.Body, got.Body.ToArray(), $"body of {sent.MessageId}");
        Assert.AreEqual(sent.MessageId, got.MessageId);
        Assert.AreEqual(sent.CorrelationId, got.CorrelationId);
        Assert.AreEqual(sent.SessionId, got.SessionId);
        Assert.AreEqual(sent.ContentType, got.ContentType);
        Assert.AreEqual(sent.ReplyTo, got.ReplyTo);
        Assert.AreEqual(sent.ReplyToSessionId, got.ReplyToSessionId);
        Assert.AreEqual(sent.To, got.To);
        Assert.AreEqual(sent.Subject, got.Subject);
        Assert.AreEqual(sent.PartitionKey, got.PartitionKey);
        Assert.AreEqual(sent.TimeToLive, got.TimeToLive);
        foreach (var (key, value) in sent.ApplicationProperties)
        {
            Assert.IsTrue(got.ApplicationProperties.TryGetValue(key, out var actual), $"{sent.MessageId} lost property '{key}'");
            Assert.AreEqual(value?.GetType(), actual?.GetType(), $"type of '{key}'");
            Assert.AreEqual(value, actual, $"value of '{key}'");
            if (value is DateTimeOffset offset) Assert.AreEqual(offset.Offset, ((DateTimeOffset)actual!).Offset, "offset of 'dateTimeOffset'");
            if (value is DateTime time) Assert.AreEqual(time.Kind, ((DateTime)actual!).Kind, "kind of 'dateTime'");
            if (value is Uri uri) Assert.AreEqual(uri.OriginalString, ((Uri)actual!).OriginalString, "text of 'uri'");
        }
    }

    private async Task<List<ServiceBusMessage>> SendBacklog(string entity, Func<int, string?>? session = null)
    {
        var sent = new List<ServiceBusMessage>();
        for (var i = 0; i < Count; i++)
        {
            var m = Sent(i, session?.Invoke(i));
            sent.Add(m);
            await Bus.SendAsync(entity, m);
        }
        Bus.ProcessDueWork();
        Assert.AreEqual((long)Window, Bus.GetMemoryFigures().PayloadsInMemory, "beyond the window, payloads (body and properties) are in the store only");
        return sent;
    }

    [TestMethod]
    public async Task A_receive_gets_back_every_property_and_byte()
    {
        var sent = await SendBacklog("work");

        var received = await ReceiveAll("work");

        Assert.AreEqual(Count, received.Count);
        for (var i = 0; i < Count; i++)
        {
            AssertIdentical(sent[i], received[i]);
            Assert.AreEqual(Start, received[i].EnqueuedTime);
            Assert.AreEqual(Start + sent[i].TimeToLive, received[i].ExpiresAt);
            Assert.AreEqual(i + 1L, received[i].SequenceNumber);
            Assert.AreEqual(1, received[i].DeliveryCount);
        }
    }

    [TestMethod]
    public async Task A_peek_gets_back_every_property_and_byte_and_leaves_the_payloads_in_the_store()
    {
        var sent = await SendBacklog("work");

        var peeked = await Bus.PeekAsync("work", Count);
        Bus.ProcessDueWork();

        for (var i = 0; i < Count; i++) AssertIdentical(sent[i], peeked[i]);
        Assert.AreEqual((long)Window, Bus.GetMemoryFigures().PayloadsInMemory);
    }

    [TestMethod]
    public async Task After_a_restart_a_session_receiver_gets_back_every_property_and_byte()
    {
        var sent = await SendBacklog("sessions", i => $"s-{i % 2}");

        Restart();
        Bus.ProcessDueWork();
        Assert.IsTrue(Bus.GetMemoryFigures().PayloadsInMemory <= Window);
        await using var session = await Bus.AcceptSessionAsync("sessions", "s-1");
        var received = await session.ReceiveAsync(Count, TimeSpan.Zero);

        var expected = sent.Where((_, i) => i % 2 == 1).ToList();
        Assert.AreEqual(expected.Count, received.Count);
        for (var i = 0; i < expected.Count; i++) AssertIdentical(expected[i], received[i]);
    }

    [TestMethod]
    public async Task An_abandoned_message_returns_to_the_backlog_and_comes_back_with_its_payload_and_delivery_count()
    {
        var sent = await SendBacklog("work");
        var receiver = Bus.CreateReceiver("work");
        var first = await receiver.ReceiveAsync(Count, TimeSpan.Zero);
        foreach (var m in first) await receiver.AbandonAsync(m);
        Bus.ProcessDueWork();
        Assert.IsTrue(Bus.GetMemoryFigures().PayloadsInMemory <= Window, "abandoned messages beyond the window give their payloads back");

        var again = await receiver.ReceiveAsync(Count, TimeSpan.Zero);

        for (var i = 0; i < Count; i++)
        {
            AssertIdentical(sent[i], again[i]);
            Assert.AreEqual(2, again[i].DeliveryCount);
        }
    }

    [TestMethod]
    public async Task A_message_that_expires_in_the_store_is_dead_lettered_with_every_property_and_byte()
    {
        var sent = await SendBacklog("work");

        Clock.Advance(TimeSpan.FromHours(1));
        var dead = await ReceiveAll("work/$DeadLetterQueue");

        Assert.AreEqual(Count, dead.Count);
        for (var i = 0; i < Count; i++)
        {
            AssertIdentical(sent[i], dead[i]);
            Assert.AreEqual("TTLExpiredException", dead[i].DeadLetterReason);
        }
    }

    [TestClass] public sealed class InMemory : When_a_waiting_message_is_read_back_from_the_store_it_is_what_was_sent { protected override bool Durable => false; }
    [TestClass] public sealed class Sqlite : When_a_waiting_message_is_read_back_from_the_store_it_is_what_was_sent { protected override bool Durable => true; }
}
