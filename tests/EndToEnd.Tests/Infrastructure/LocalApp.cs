using System.Net.Http.Headers;
using System.Text;
using LocalLogicApp.Hosting;
using LocalLogicApp.Samples;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole local stack for one test class: the project's real workflows, connections and topology on the
/// engine and an in-memory broker, the real custom code on a temporary folder, the stand-ins. With a
/// <see cref="ManualClock"/> time only moves when the test (or an engine wait) moves it.
/// </summary>
internal sealed class LocalApp : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string stateFolder;

    private LocalApp(LocalLogicAppHost host, string stateFolder, ManualClock? clock)
    {
        Host = host;
        this.stateFolder = stateFolder;
        Clock = clock;
    }

    public LocalLogicAppHost Host { get; }
    public ManualClock? Clock { get; }

    public static string Root { get; } = ProjectRoot.Find();

    /// <param name="delay">The engine's wait; default: the manual clock's (instant) wait, or real time without one.</param>
    public static async Task<LocalApp> StartAsync(ManualClock? clock = null, int maxConcurrentSessions = 8, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        var stateFolder = Path.Combine(Path.GetTempPath(), "orders-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var host = await LocalLogicAppHost.StartAsync(new LocalHostOptions
        {
            ProjectRoot = Root,
            StateFolder = stateFolder,
            DurableBroker = false,
            Clock = clock ?? TimeProvider.System,
            Delay = delay ?? (clock is null ? null : clock.DelayAsync),
            MaintenanceInterval = clock is null ? TimeSpan.FromMilliseconds(200) : null,
            ServiceBus = new LocalLogicApp.Bindings.ServiceBus.ServiceBusBindingOptions { MaxConcurrentSessions = maxConcurrentSessions },
        });
        return new LocalApp(host, stateFolder, clock);
    }

    public static SampleOrder Sample(string name) =>
        SampleOrders.Valid(Root).Single(s => s.Name == name);

    /// <summary>Posts an order event to the intake as Power Automate would.</summary>
    public async Task<(int Status, JToken? Body)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync(Host.IntakeUrl, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JToken.Parse(text));
    }

    /// <summary>Waits for the explicit completion signal: nothing active, locked or scheduled, no run in flight.</summary>
    public Task SettledAsync() => Host.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));

    public IReadOnlyList<WorkflowRun> RunsOf(string workflow, string messageId) =>
        Host.History.Query(new RunQuery(WorkflowName: workflow))
            .Where(r => LocalLogicApp.Reporting.SubscriberRuns.MessageIdOf(r) == messageId)
            .OrderBy(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The broker's delivery count of the message a subscriber run was triggered by (1 for the first delivery).</summary>
    public static int DeliveryCountOf(WorkflowRun run) => ((JObject)run.Trigger.Outputs)["body"]!.Value<int>("deliveryCount");

    /// <summary>One line per run of a subscriber for a message (delivery, claim state, settlement, status), for assertion messages.</summary>
    public string Timeline(string workflow, string messageId) => string.Join("\n", RunsOf(workflow, messageId).Select(r =>
        $"delivery {DeliveryCountOf(r)}: started {r.StartTime:HH:mm:ss}, claim {LocalLogicApp.Reporting.SubscriberRuns.Claim(r) ?? "-"}, " +
        $"lease until {LocalLogicApp.Reporting.SubscriberRuns.LeaseExpiresUtc(r) ?? "-"}, " +
        $"decided {LocalLogicApp.Reporting.SubscriberRuns.Body(r, "Decide_settlement")?.Value<string>("action") ?? "-"}, run {r.Status}"));

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

    /// <summary>A copy of a sample with another order id and message id, so tests never share business keys.</summary>
    public static string Variant(string sampleName, string orderId, string? eventType = null, string? messageId = null)
    {
        var json = (JObject)Sample(sampleName).Json!.DeepClone();
        json["data"]!["orderId"] = orderId;
        if (eventType is not null) json["eventType"] = eventType;
        json["messageId"] = messageId ?? $"{orderId}-{(eventType ?? json.Value<string>("eventType"))!.ToLowerInvariant()}-v1";
        return json.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(stateFolder, recursive: true); } catch (IOException) { }
    }
}
