using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;
using ServiceBus.Local.Tests.Infrastructure;
using TestSupport;

namespace ServiceBus.Local.Tests.Persistence;

/// <summary>A message's body is written once per place: a lock, a renewal or an abandon changes its state only, and
/// the SQLite store then writes its small document, not its body (SQLite rewrites a whole row, overflow pages
/// included, on any update). Observed through what the store appends to its write-ahead log, which SQLite counts
/// page by page: deterministic for the same operations on the same file.</summary>
[TestClass]
public sealed class When_a_stored_message_changes_state_its_body_is_not_written_again
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private string path = null!;

    [TestInitialize]
    public void ChoosePath() => path = Path.Combine(Path.GetTempPath(), $"sb-body-once-{Guid.NewGuid():N}.db");

    [TestCleanup]
    public void DeleteDatabase()
    {
        BrokerDatabaseFiles.Delete(path);
    }

    private static byte[] OrderOfSize(int bytes)
    {
        var body = new byte[bytes];
        new Random(7).NextBytes(body); // incompressible, like nothing SQLite could share between pages
        return body;
    }

    [TestMethod]
    public async Task Locking_abandoning_and_locking_again_a_200_KB_message_appends_less_than_a_tenth_of_its_body_each()
    {
        var topology = new Topology();
        topology.AddQueue("work", q => q.MaxDeliveryCount = 10);
        var body = OrderOfSize(200 * 1024);
        using var store = new SqliteMessageStore(path);
        using var bus = LocalServiceBus.Create(topology, new ManualClock(Start), store);
        var beforeSend = store.WalBytesWritten;
        await bus.SendAsync("work", new ServiceBusMessage(body) { MessageId = "large-order" });
        var sent = store.WalBytesWritten - beforeSend;
        var receiver = bus.CreateReceiver("work");

        var beforeLock = store.WalBytesWritten;
        var locked = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        var lockWrite = store.WalBytesWritten - beforeLock;
        var beforeAbandon = store.WalBytesWritten;
        await receiver.AbandonAsync(locked!);
        var abandonWrite = store.WalBytesWritten - beforeAbandon;
        var beforeRelock = store.WalBytesWritten;
        var again = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        var relockWrite = store.WalBytesWritten - beforeRelock;

        Assert.IsTrue(sent >= body.Length, $"the send writes the body once ({sent} bytes appended)");
        Assert.IsTrue(lockWrite < body.Length / 10, $"the lock appended {lockWrite} bytes");
        Assert.IsTrue(abandonWrite < body.Length / 10, $"the abandon appended {abandonWrite} bytes");
        Assert.IsTrue(relockWrite < body.Length / 10, $"the second lock appended {relockWrite} bytes");
        Assert.AreEqual(2, again!.DeliveryCount);
        CollectionAssert.AreEqual(body, again.Body.ToArray());
    }
}
