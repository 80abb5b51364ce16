using System.Text;
using ServiceBus.Local.Entities;
using ServiceBus.Local.Messages;
using ServiceBus.Local.Persistence;

namespace ServiceBus.Local.Tests.Infrastructure;

/// <summary>
/// Base of every broker behaviour spec. Each spec file declares its behaviour once in an abstract class and runs it
/// twice: against the in-memory store and against a SQLite file (the two nested [TestClass]es), so both stores
/// behave the same. <see cref="Restart"/> re-creates the broker on the same store, as a process restart would.
/// </summary>
public abstract class BrokerSpec
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private string? databasePath;

    protected ManualClock Clock { get; } = new(Start);
    protected IMessageStore Store { get; private set; } = null!;
    protected LocalServiceBus Bus { get; private set; } = null!;

    /// <summary>True runs the spec against SQLite.</summary>
    protected abstract bool Durable { get; }

    protected abstract Topology CreateTopology();

    /// <summary>The broker's body window (<see cref="LocalServiceBus.PayloadsInMemoryPerEntity"/>); specs about it make it small.</summary>
    protected virtual int PayloadsInMemoryPerEntity => LocalServiceBus.DefaultPayloadsInMemoryPerEntity;

    [TestInitialize]
    public void StartBroker()
    {
        if (Durable) databasePath = Path.Combine(Path.GetTempPath(), $"sb-spec-{Guid.NewGuid():N}.db");
        Store = OpenStore();
        Bus = LocalServiceBus.Create(CreateTopology(), Clock, Store, PayloadsInMemoryPerEntity);
    }

    [TestCleanup]
    public void StopBroker()
    {
        Bus.Dispose();
        Store.Dispose();
        if (databasePath is not null)
        {
            BrokerDatabaseFiles.Delete(databasePath);
        }
    }

    private IMessageStore OpenStore() => Durable ? new SqliteMessageStore(databasePath!) : Store ?? new InMemoryMessageStore();

    /// <summary>Stops the broker and starts a new one on the same store (for SQLite: a new connection to the file).</summary>
    protected void Restart()
    {
        Bus.Dispose();
        if (Durable) Store.Dispose();
        Store = OpenStore();
        Bus = LocalServiceBus.Create(CreateTopology(), Clock, Store, PayloadsInMemoryPerEntity);
    }

    protected static ServiceBusMessage Message(string body = "{}", string? messageId = null, string? sessionId = null, Action<ServiceBusMessage>? configure = null)
    {
        var message = new ServiceBusMessage(body) { MessageId = messageId ?? Guid.NewGuid().ToString("N"), SessionId = sessionId, ContentType = "application/json" };
        configure?.Invoke(message);
        return message;
    }

    protected async Task<ServiceBusReceivedMessage> ReceiveOne(string path)
    {
        var receiver = Bus.CreateReceiver(path);
        var message = await receiver.ReceiveMessageAsync(TimeSpan.Zero);
        Assert.IsNotNull(message, $"expected a message on {path}");
        return message;
    }

    protected async Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveAll(string path, int max = 100) =>
        await Bus.CreateReceiver(path).ReceiveAsync(max, TimeSpan.Zero);

    protected static string Text(ServiceBusReceivedMessage message) => Encoding.UTF8.GetString(message.Body.Span);
}
