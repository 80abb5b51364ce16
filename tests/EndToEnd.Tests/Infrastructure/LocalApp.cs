using System.Net.Http.Headers;
using System.Text;
using LocalLogicApp.Bindings.ServiceBus;
using LocalLogicApp.Hosting;
using LocalLogicApp.Reporting;
using LocalLogicApp.Samples;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using ServiceBus.Local.Messages;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole local stack for one test: the project's real workflows, connections and topology on the engine and an
/// in-memory broker, the real custom code on a temporary folder, the stand-ins. The one end-to-end harness: tests
/// post to the intake over HTTP as Power Automate does, or publish to the topic as the intake does. With a
/// <see cref="ManualClock"/> time only moves when the test (or an engine wait) moves it.
/// </summary>
internal sealed class LocalApp : IAsyncDisposable
{
    public static readonly string[] Subscribers = ["SapFulfillment", "SmsNotification", "WarehouseInventory", "LakeArchive"];

    public static readonly IReadOnlyDictionary<string, string> SubscriptionOf = new Dictionary<string, string>
    {
        ["SapFulfillment"] = "sap-fulfillment",
        ["SmsNotification"] = "sms-notification",
        ["WarehouseInventory"] = "warehouse-inventory",
        ["LakeArchive"] = "lake-archive",
    };

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string stateFolder;
    private readonly FunctionCatalog catalog;

    private LocalApp(LocalLogicAppHost host, string stateFolder, ManualClock? clock)
    {
        Host = host;
        this.stateFolder = stateFolder;
        Clock = clock;
        catalog = new FunctionCatalog(new OrderEventFunctions(host.CustomCode));
    }

    public LocalLogicAppHost Host { get; }
    public ManualClock? Clock { get; }

    public static string Root { get; } = RepositoryRoot.Find();

    /// <summary>On a <see cref="ManualClock"/> with one session receiver, so a session's redelivery starts only after
    /// the run before it ended.</summary>
    /// <param name="wrapStore">Wraps the custom code's object store (to inject storage faults).</param>
    public static Task<LocalApp> StartOnManualClockAsync(Func<IObjectStore, IObjectStore>? wrapStore = null) =>
        StartAsync(new ManualClock(), maxConcurrentSessions: 1, wrapStore: wrapStore);

    /// <param name="delay">The engine's wait; default: the manual clock's (instant) wait, or real time without one.</param>
    /// <param name="wrapStore">Wraps the custom code's object store (to inject storage faults).</param>
    /// <param name="settings">App settings over the template's (e.g. the intake's EasyAuth_* rule).</param>
    /// <param name="log">The host's progress and refusal lines.</param>
    /// <param name="runHistory">Keep the run history in <c>runs.db</c> in the state folder, as <c>run</c> does (default: in memory).</param>
    /// <param name="topology">Changes Config.json's topology before the broker starts (e.g. a small topic quota).</param>
    public static async Task<LocalApp> StartAsync(ManualClock? clock = null, int maxConcurrentSessions = 8, Func<TimeSpan, CancellationToken, Task>? delay = null,
        Func<IObjectStore, IObjectStore>? wrapStore = null, IReadOnlyDictionary<string, string>? settings = null, Action<string>? log = null, bool runHistory = false,
        Action<ServiceBus.Local.Entities.Topology>? topology = null)
    {
        var stateFolder = Path.Combine(Path.GetTempPath(), "orders-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var host = await LocalLogicAppHost.StartAsync(new LocalHostOptions
        {
            ProjectRoot = Root,
            StateFolder = stateFolder,
            DurableBroker = false,
            WriteRunHistory = runHistory,
            Clock = clock ?? TimeProvider.System,
            Delay = delay ?? (clock is null ? null : clock.DelayAsync),
            MaintenanceInterval = clock is null ? TimeSpan.FromMilliseconds(200) : null,
            ServiceBus = new ServiceBusBindingOptions { MaxConcurrentSessions = maxConcurrentSessions },
            WrapStore = wrapStore,
            SettingOverrides = settings ?? new Dictionary<string, string>(),
            Log = log,
            ConfigureTopology = topology,
        });
        return new LocalApp(host, stateFolder, clock);
    }

    public static SampleOrder Sample(string name) =>
        SampleOrders.Valid(Root).Single(s => s.Name == name);

    /// <summary>Posts an order event to the intake as Power Automate would.</summary>
    public async Task<(int Status, JToken? Body)> PostAsync(string json, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Host.IntakeUrl) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JToken.Parse(text));
    }

    /// <summary>Publishes as the intake does: BuildServiceBusMessage, then the connector's sendMessage.</summary>
    public async Task PublishAsync(JObject orderEvent)
    {
        var built = await catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = orderEvent });
        Assert.IsTrue(built.Value<bool>("isValid"), built.ToString());
        await SendAsync("orders", (JObject)built["message"]!);
    }

    /// <summary>Sends a message object of the connector's sendMessage action to a queue or topic.</summary>
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

    /// <summary>Waits for the explicit completion signal: nothing active, locked or scheduled, no run in flight.</summary>
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

    /// <summary>The settlement a subscriber run decided: complete, abandon or deadLetter.</summary>
    public static string? Settlement(WorkflowRun run) => SubscriberRuns.Body(run, "Decide_settlement")?.Value<string>("action");

    /// <summary>The status of an action of a run, or null when the run has no such action.</summary>
    public static string? ActionStatus(WorkflowRun run, string action) => run.TryGetAction(action, out var a) ? a.Status.ToString() : null;

    /// <summary>What each subscriber changed downstream for an order: the side effects that must never happen twice.</summary>
    public (int SapOrders, int Sms, int ReservationCreates, int LakeFiles) EffectsFor(string orderId) =>
        (Host.Sap.SalesOrdersForPurchaseOrder(orderId).Count,
         Host.Twilio.SentMessages.Count(m => m.Body.Contains(orderId, StringComparison.Ordinal)),
         Host.Warehouse.ReservationHistory.Count(r => r.OrderId == orderId && r.Change == "create"),
         Host.Store.ListAsync(Host.CustomCode.Options.LakeContainer, "orders/").ToBlockingEnumerable().Count(n => n.Contains(orderId, StringComparison.Ordinal)));

    /// <summary>The broker's delivery count of the message a subscriber run was triggered by (1 for the first delivery).</summary>
    public static int DeliveryCountOf(WorkflowRun run) => ((JObject)run.Trigger.Outputs)["body"]!.Value<int>("deliveryCount");

    /// <summary>One line per run of a subscriber for a message (delivery, claim state, settlement, status), for assertion messages.</summary>
    public string Timeline(string workflow, string messageId) => string.Join("\n", RunsOf(workflow, messageId).Select(r =>
        $"delivery {DeliveryCountOf(r)}: started {r.StartTime:HH:mm:ss}, claim {SubscriberRuns.Claim(r) ?? "-"}, " +
        $"lease until {SubscriberRuns.LeaseExpiresUtc(r) ?? "-"}, " +
        $"decided {SubscriberRuns.Body(r, "Decide_settlement")?.Value<string>("action") ?? "-"}, run {r.Status}"));

    /// <summary>True when only <paramref name="workflow"/> still works: no other run in progress and no message on any
    /// other queue or subscription. A test that moves the manual clock waits for this first, so the move (and the
    /// engine waits it causes elsewhere: every Delay advances the shared clock) touches only the workflow under test.</summary>
    public bool OnlyBusyWith(string workflow, string subscription) =>
        Host.History.Query(new RunQuery(Status: Workflows.Runtime.WorkflowStatus.Running)).All(r => r.WorkflowName == workflow)
        && Host.Bus.ReceivableEntityPaths.Where(p => !p.EndsWith("/" + subscription, StringComparison.OrdinalIgnoreCase))
            .All(p => Host.Bus.GetMessageCounts(p).Active == 0);

    /// <summary>Blocks the calling thread until <paramref name="condition"/> holds; fails after 30 s (real time). For
    /// stand-in hooks, which run synchronously inside a downstream call and must hold that call open.</summary>
    public static void HoldUntil(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30))) throw new TimeoutException($"Gave up waiting (30 s) until {what}.");
    }

    /// <summary>The standard OrderCreated sample as a JSON object, re-keyed: message id <c>{orderId}-{eventtype}-v1</c>.</summary>
    public static JObject Order(string orderId, string eventType = "OrderCreated") => VariantObject("OrderCreated.standard", orderId, eventType, null);

    /// <summary>A copy of a sample with another order id and message id, so tests never share business keys.</summary>
    public static string Variant(string sampleName, string orderId, string? eventType = null, string? messageId = null) =>
        VariantObject(sampleName, orderId, eventType, messageId).ToString();

    private static JObject VariantObject(string sampleName, string orderId, string? eventType, string? messageId)
    {
        var json = (JObject)Sample(sampleName).Json!.DeepClone();
        json["data"]!["orderId"] = orderId;
        if (eventType is not null) json["eventType"] = eventType;
        json["messageId"] = messageId ?? $"{orderId}-{(eventType ?? json.Value<string>("eventType"))!.ToLowerInvariant()}-v1";
        return json;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(stateFolder, recursive: true); } catch (IOException) { }
    }
}
