using System.Text;
using Azure.Messaging.ServiceBus;
using ServiceBus.Amqp.Connection;
using LocalServiceBus = ServiceBus.Local.LocalServiceBus;
using ServiceBus.Local.Entities;

namespace ServiceBus.Amqp.Tests.Infrastructure;

/// <summary>
/// Base of every contract spec. Each spec file states one behaviour once, in an abstract class, and runs it twice
/// with the official client (Azure.Messaging.ServiceBus): against the local broker served over AMQP in-process
/// (<c>Local</c>, a fresh broker per test on a free port) and against a real namespace (<c>Azure</c>), when
/// <see cref="ConnectionStringVariable"/> holds its connection string; otherwise the Azure run is skipped (inconclusive)
/// with the reason. The namespace needs the entities of <c>Contract/contract-topology.json</c>; the Azure specs run one at a
/// time and empty them first.
/// </summary>
public abstract class ContractSpec
{
    public const string ConnectionStringVariable = "SERVICEBUS_CONTRACT_CONNECTION_STRING";
    public const string TopologyFile = "Contract/contract-topology.json";

    // Entities of contract-topology.json (lock durations of 5 s keep lock-expiry specs short).
    protected const string Queue = "contract-queue";
    protected const string SessionQueue = "contract-sessions";
    protected const string DuplicateQueue = "contract-duplicates";
    protected const string ExpiringQueue = "contract-expiring";
    protected const string ForwardSource = "contract-forward-source";
    protected const string ForwardTarget = "contract-forward-target";
    protected const string Topic = "contract-topic";
    protected const string Everything = "everything";
    protected const string RedOnly = "red-only";
    protected const string RuleEditing = "rule-editing";
    protected static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(5);
    protected const int MaxDeliveryCount = 3;

    /// <summary>One namespace, shared entities: against Azure the specs run one at a time.</summary>
    private static readonly SemaphoreSlim AzureNamespace = new(1, 1);

    private bool holdsNamespace;
    private LocalServiceBus? bus;
    private ServiceBusAmqpServer? server;

    protected abstract bool AgainstAzure { get; }

    protected ServiceBusClient Client { get; private set; } = null!;

    /// <summary>Time to wait for a message that is expected (generous; the receive returns as soon as it comes).</summary>
    protected static readonly TimeSpan Expected = TimeSpan.FromSeconds(15);

    /// <summary>Time to wait before concluding that no message comes.</summary>
    protected static readonly TimeSpan Absent = TimeSpan.FromSeconds(1);

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task ConnectAsync()
    {
        var options = new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { TryTimeout = TimeSpan.FromSeconds(20), MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(200) },
        };
        if (AgainstAzure)
        {
            var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Assert.Inconclusive($"Skipped: set {ConnectionStringVariable} to a namespace's connection string (with the entities of {TopologyFile}) to run this contract against Azure Service Bus.");
            }
            await AzureNamespace.WaitAsync().ConfigureAwait(false);
            holdsNamespace = true;
            Client = new ServiceBusClient(connectionString, options);
            // Purging waits for "no session left" once: a short try timeout keeps that wait to seconds.
            await using (var purger = new ServiceBusClient(connectionString, new ServiceBusClientOptions
            {
                RetryOptions = new ServiceBusRetryOptions { TryTimeout = TimeSpan.FromSeconds(3), MaxRetries = 0 },
            }))
            {
                await PurgeAsync(purger).ConfigureAwait(false);
            }
            return;
        }
        var topology = Topology.Load(Path.Combine(AppContext.BaseDirectory, TopologyFile));
        ShapeLocalTopology(topology);
        bus = LocalServiceBus.Create(topology);
        server = ServiceBusAmqpServer.Start(bus, port: 0);
        Client = new ServiceBusClient(server.ConnectionString, options);
    }

    /// <summary>Changes the local broker's entities before it starts, for a behaviour a namespace cannot be set up for
    /// in a contract run (e.g. a quota below Azure's smallest); such a spec says why its Azure half is skipped.</summary>
    protected virtual void ShapeLocalTopology(Topology topology)
    {
    }

    [TestCleanup]
    public async Task DisconnectAsync()
    {
        if (Client is not null) await Client.DisposeAsync().ConfigureAwait(false);
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
        bus?.Dispose();
        if (holdsNamespace) AzureNamespace.Release();
    }

    /// <summary>Empties every contract entity (a real namespace keeps what earlier runs left): a peek says whether
    /// there is anything at all (it answers at once), then active messages are received and deleted and deferred ones
    /// fetched by sequence number.</summary>
    private static async Task PurgeAsync(ServiceBusClient client)
    {
        string[] paths =
        [
            Queue, DuplicateQueue, ExpiringQueue, ForwardTarget,
            Subscription(Everything), Subscription(RedOnly), Subscription(RuleEditing),
        ];
        foreach (var path in paths.SelectMany(p => new[] { p, DeadLetterQueueOf(p) }))
        {
            await using var receiver = client.CreateReceiver(path, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete });
            for (var round = 0; round < 4; round++)
            {
                var left = (await receiver.PeekMessagesAsync(100, fromSequenceNumber: 0).ConfigureAwait(false)).Where(m => m.State != ServiceBusMessageState.Scheduled).ToList();
                if (left.Count == 0) break;
                var deferred = left.Where(m => m.State == ServiceBusMessageState.Deferred).Select(m => m.SequenceNumber).ToList();
                if (deferred.Count > 0) await receiver.ReceiveDeferredMessagesAsync(deferred).ConfigureAwait(false);
                // Messages an earlier spec left locked come back when their lock expires: wait that long once.
                var wait = round == 0 ? TimeSpan.FromSeconds(1) : LockDuration + TimeSpan.FromSeconds(1);
                while ((await receiver.ReceiveMessagesAsync(100, wait).ConfigureAwait(false)).Count > 0) wait = TimeSpan.FromSeconds(1);
            }
        }
        // A rule spec that failed half-way leaves rules behind: the subscription gets back exactly $Default.
        await using (var rules = client.CreateRuleManager(Topic, RuleEditing))
        {
            var names = new List<string>();
            await foreach (var rule in rules.GetRulesAsync().ConfigureAwait(false)) names.Add(rule.Name);
            if (!names.Contains("$Default")) await rules.CreateRuleAsync("$Default", new Azure.Messaging.ServiceBus.Administration.TrueRuleFilter()).ConfigureAwait(false);
            foreach (var name in names.Where(n => n != "$Default")) await rules.DeleteRuleAsync(name).ConfigureAwait(false);
        }
        while (true)
        {
            try
            {
                await using var session = await client.AcceptNextSessionAsync(SessionQueue, new ServiceBusSessionReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete }).ConfigureAwait(false);
                while ((await session.ReceiveMessagesAsync(100, TimeSpan.FromSeconds(1)).ConfigureAwait(false)).Count > 0) { }
            }
            catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.ServiceTimeout)
            {
                break;
            }
        }
    }

    protected static string Subscription(string name) => $"{Topic}/Subscriptions/{name}";

    protected static string DeadLetterQueueOf(string path) => path + "/$DeadLetterQueue";

    /// <summary>A message with a unique id (so a shared namespace's leftovers never match).</summary>
    protected static ServiceBusMessage Message(string body = "payload", string? id = null) => new(Encoding.UTF8.GetBytes(body)) { MessageId = id ?? Guid.NewGuid().ToString("N") };

    protected async Task<ServiceBusReceivedMessage> ReceiveOneAsync(ServiceBusReceiver receiver)
    {
        var message = await receiver.ReceiveMessageAsync(Expected).ConfigureAwait(false);
        Assert.IsNotNull(message, $"expected a message on {receiver.EntityPath} within {Expected.TotalSeconds} s");
        return message;
    }

    protected async Task AssertEmptyAsync(ServiceBusReceiver receiver)
    {
        var message = await receiver.ReceiveMessageAsync(Absent).ConfigureAwait(false);
        Assert.IsNull(message, $"expected no message on {receiver.EntityPath}, got {message?.MessageId}");
    }
}
