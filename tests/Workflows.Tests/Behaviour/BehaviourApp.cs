using System.Text;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.Hosting;
using LocalLogicApp.Reporting;
using LocalLogicApp.Samples;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using ServiceBus.Local.Messages;
using Workflows.Runtime;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Tests.Behaviour;

/// <summary>
/// The project's workflows, unchanged, on the engine with the real local bindings (broker, SAP fake, custom code,
/// HTTP stand-ins) and a manual clock: time moves only when a test or an engine wait (retry interval) moves it.
/// One session receiver, so a session's redelivery starts only after the run before it ended.
/// </summary>
internal sealed class BehaviourApp : IAsyncDisposable
{
    public static readonly string[] Subscribers = ["SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive"];

    public static readonly IReadOnlyDictionary<string, string> SubscriptionOf = new Dictionary<string, string>
    {
        ["SapFulfillment"] = "sap-fulfillment",
        ["SmsNotification"] = "sms-notification",
        ["WarehouseInventory"] = "warehouse-inventory",
        ["LakeArchive"] = "lake-archive",
    };

    private readonly string stateFolder;
    private readonly FunctionCatalog catalog;

    private BehaviourApp(LocalLogicAppHost host, ManualClock clock, string stateFolder)
    {
        Host = host;
        Clock = clock;
        this.stateFolder = stateFolder;
        catalog = new FunctionCatalog(new OrderEventFunctions(host.CustomCode));
    }

    public LocalLogicAppHost Host { get; }
    public ManualClock Clock { get; }

    public static async Task<BehaviourApp> StartAsync(Func<OrderEvents.CustomCode.Storage.IObjectStore, OrderEvents.CustomCode.Storage.IObjectStore>? wrapStore = null)
    {
        var clock = new ManualClock();
        var stateFolder = Path.Combine(Path.GetTempPath(), "orders-behaviour-" + Guid.NewGuid().ToString("N")[..12]);
        var host = await LocalLogicAppHost.StartAsync(new LocalHostOptions
        {
            ProjectRoot = ProjectRoot.Find(),
            StateFolder = stateFolder,
            DurableBroker = false,
            Clock = clock,
            Delay = clock.DelayAsync,
            MaintenanceInterval = null,
            ServiceBus = new ServiceBusBindingOptions { MaxConcurrentSessions = 1 },
            WrapStore = wrapStore,
        });
        return new BehaviourApp(host, clock, stateFolder);
    }

    /// <summary>A valid order event of the samples, re-keyed so tests never share an order or message id.</summary>
    public static JObject Order(string orderId, string eventType = "OrderCreated")
    {
        var json = (JObject)SampleOrders.Valid(ProjectRoot.Find()).Single(s => s.Name == "OrderCreated.standard").Json!.DeepClone();
        json["data"]!["orderId"] = orderId;
        json["eventType"] = eventType;
        json["messageId"] = $"{orderId}-{eventType.ToLowerInvariant()}";
        return json;
    }

    /// <summary>Publishes as the intake does: BuildServiceBusMessage, then the connector's sendMessage.</summary>
    public async Task PublishAsync(JObject orderEvent)
    {
        var built = await catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = orderEvent });
        Assert.IsTrue(built.Value<bool>("isValid"), built.ToString());
        await SendAsync("orders", (JObject)built["message"]!);
    }

    public async Task SendAsync(string entity, JObject connectorMessage)
    {
        var response = await Host.ServiceBusConnector.InvokeActionAsync(new ServiceProviderRequest(
            "test", "Send", ServiceBusBinding.Id, "sendMessage", "serviceBusPublisher", new JObject(),
            new JObject { ["entityName"] = entity, ["message"] = connectorMessage }), default);
        Assert.AreEqual(200, response.StatusCode, response.Body?.ToString());
    }

    /// <summary>A message that is no order event. With routing properties every subscription takes it; without,
    /// only lake-archive (its filter is 1=1), so one alert workflow sees it.</summary>
    public Task SendPoisonAsync(string messageId, string orderId, bool routedToAll = true)
    {
        var message = new ServiceBusMessage(Encoding.UTF8.GetBytes("{\"this\": \"is not an order event\"}"))
        {
            MessageId = messageId,
            SessionId = orderId,
            ContentType = "application/json",
        };
        if (routedToAll)
        {
            message.ApplicationProperties["eventType"] = "OrderCreated";
            message.ApplicationProperties["smsOptIn"] = true;
            message.ApplicationProperties["orderId"] = orderId;
        }
        return Host.Bus.SendAsync("orders", message);
    }

    public Task SettledAsync() => Host.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));

    /// <summary>Waits (bounded) until <paramref name="count"/> runs of the workflow for the message have finished.</summary>
    public async Task RunsFinishedAsync(string workflow, string messageId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (RunsOf(workflow, messageId).Count(r => r.IsCompleted) < count)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{workflow} did not finish {count} run(s) for {messageId}: {RunsOf(workflow, messageId).Count} started.");
            await Task.Delay(20);
        }
    }

    public IReadOnlyList<WorkflowRun> RunsOf(string workflow, string messageId) =>
        Host.History.Query(new RunQuery(WorkflowName: workflow))
            .Where(r => SubscriberRuns.MessageIdOf(r) == messageId)
            .OrderBy(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToArray();

    public static string? Settlement(WorkflowRun run) => SubscriberRuns.Body(run, "Decide_settlement")?.Value<string>("action");

    public static string? ActionStatus(WorkflowRun run, string action) => run.TryGetAction(action, out var a) ? a.Status.ToString() : null;

    /// <summary>What each subscriber changed downstream for an order: the side effects that must never happen twice.</summary>
    public (int SapOrders, int Sms, int ReservationCreates, int LakeFiles) EffectsFor(string orderId) =>
        (Host.Sap.SalesOrdersForPurchaseOrder(orderId).Count,
         Host.Twilio.SentMessages.Count(m => m.Body.Contains(orderId, StringComparison.Ordinal)),
         Host.Warehouse.ReservationHistory.Count(r => r.OrderId == orderId && r.Change == "create"),
         Host.Store.ListAsync(Host.CustomCode.Options.LakeContainer, "orders/").ToBlockingEnumerable().Count(n => n.Contains(orderId, StringComparison.Ordinal)));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(stateFolder, recursive: true); } catch (IOException) { }
    }
}
