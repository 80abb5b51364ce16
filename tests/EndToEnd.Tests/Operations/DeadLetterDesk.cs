using System.Text;
using Azure.Messaging.ServiceBus;
using LocalLogicApp.Hosting;
using LocalLogicApp.Operations;
using OrderEvents.CustomCode.Storage;
using ServiceBus.Amqp.Connection;
using ServiceBus.Local;
using ServiceBus.Local.Entities;
using TestSupport;
using LocalMessage = ServiceBus.Local.Messages.ServiceBusMessage;

namespace EndToEnd.Tests.Operations;

/// <summary>
/// An operator's desk for the dead-letter specs: the project's real topology (deploy/servicebus/Config.json) on a local
/// broker with a manual clock, served over AMQP, the operator's <see cref="DeadLetterOperations"/> on the official
/// client against it, and an in-memory lake. The scenario side (publishing, a subscriber failing) uses the broker
/// directly, as the workflows do.
/// </summary>
internal sealed class DeadLetterDesk : IAsyncDisposable
{
    public static readonly OperatorIdentity Operator = new("00000000-0000-0000-0000-00000000beef", "operator@contoso.example");
    public const string Topic = "orders";
    public const string LakeContainer = "orders-lake";

    private readonly ServiceBusAmqpServer server;

    private DeadLetterDesk()
    {
        Topology = Topology.Load(Path.Combine(RepositoryRoot.FullPath, LocalLogicAppHost.TopologyFile));
        Bus = LocalServiceBus.Create(Topology, Clock);
        server = ServiceBusAmqpServer.Start(Bus, port: 0);
        Client = new ServiceBusClient(server.ConnectionString);
        Operations = new DeadLetterOperations(Client, Topology, Lake, LakeContainer, Operator, Clock);
    }

    public static DeadLetterDesk Open() => new();

    public ManualClock Clock { get; } = new();
    public Topology Topology { get; }
    public LocalServiceBus Bus { get; }
    public ServiceBusClient Client { get; }
    public InMemoryObjectStore Lake { get; } = new();
    public DeadLetterOperations Operations { get; }

    /// <summary>Publishes an order event as the intake does: business messageId, session = order id, routing properties.</summary>
    public async Task<string> PublishOrderAsync(string orderId = "100482")
    {
        var messageId = $"evt-{orderId}-{Guid.NewGuid():N}"[..24];
        var message = new LocalMessage(Encoding.UTF8.GetBytes($$"""{"eventType":"OrderCreated","orderId":"{{orderId}}"}"""))
        {
            MessageId = messageId,
            SessionId = orderId,
            CorrelationId = "corr-" + orderId,
            ContentType = "application/json",
        };
        message.ApplicationProperties["eventType"] = "OrderCreated";
        message.ApplicationProperties["smsOptIn"] = true;
        await Bus.SendAsync(Topic, message);
        return messageId;
    }

    /// <summary>The SMS subscriber dead-letters its copy (forwarded to its alert queue); the others complete theirs.</summary>
    public async Task SmsSubscriberFailsAsync(string reason = "DownstreamRejected")
    {
        var sms = Bus.CreateReceiver("orders/Subscriptions/sms-notification");
        var copy = (await sms.ReceiveAsync(1, TimeSpan.Zero)).Single();
        await sms.DeadLetterAsync(copy.LockToken, reason, "Twilio answered 400: invalid number");
        await DrainAsync("orders/Subscriptions/lake-archive");
        await DrainSessionAsync("orders/Subscriptions/sap-fulfillment");
        await DrainSessionAsync("orders/Subscriptions/warehouse-inventory");
    }

    /// <summary>What each subscription holds now, by name.</summary>
    public async Task<Dictionary<string, IReadOnlyList<ServiceBus.Local.Messages.ServiceBusReceivedMessage>>> SubscriptionsAsync()
    {
        var result = new Dictionary<string, IReadOnlyList<ServiceBus.Local.Messages.ServiceBusReceivedMessage>>();
        foreach (var subscription in Topology.Topics.Single().Subscriptions)
            result[subscription.Name] = await Bus.PeekAsync($"orders/Subscriptions/{subscription.Name}", 100);
        return result;
    }

    private async Task DrainAsync(string path)
    {
        var receiver = Bus.CreateReceiver(path);
        foreach (var m in await receiver.ReceiveAsync(100, TimeSpan.Zero)) await receiver.CompleteAsync(m.LockToken);
    }

    private async Task DrainSessionAsync(string path)
    {
        await using var session = await Bus.AcceptNextSessionAsync(path, maxWaitTime: TimeSpan.Zero);
        foreach (var m in await session.ReceiveAsync(100, TimeSpan.Zero)) await session.CompleteAsync(m.LockToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await server.DisposeAsync();
        Bus.Dispose();
    }
}
