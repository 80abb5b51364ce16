using LocalLogicApp.Bindings.CustomCode;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Idempotency;
using OrderEvents.CustomCode.Storage;
using Workflows.Runtime;
using Workflows.Runtime.Bindings;
using Workflows.Runtime.History;
using Workflows.Runtime.Testing;

namespace Workflows.Tests.Support;

/// <summary>
/// The project's real workflows on the engine, with the real custom code over one in-memory store (shared by
/// every run of the scenario, so idempotency records, SAP numbers and lake files survive from one delivery to
/// the next) and fakes for the connectors: Service Bus (<see cref="Bus"/>), SAP (<see cref="Sap"/>), Twilio and
/// Teams (<see cref="Twilio"/>, <see cref="Teams"/>) and the warehouse API (<see cref="Warehouse"/>).
/// Time is the host's <see cref="ManualClock"/>: retry waits cost nothing.
/// </summary>
public sealed class WorkflowScenario : IDisposable
{
    public const string TwilioMessagesPath = "/Messages.json";
    public const string TeamsPostCardPath = "/v1.0/teams/conversation/adaptivecard/poster";

    private readonly Queue<ConnectorResponse> twilioAnswers = new();
    private readonly List<JObject> twilioMessages = [];
    private readonly Queue<ConnectorResponse> teamsAnswers = new();
    private readonly Lock gate = new();
    private int smsCounter;

    public WorkflowScenario(IReadOnlyDictionary<string, string>? settingOverrides = null)
    {
        Host = WorkflowTestHost.Load(Project.Root, Project.AppSettings(settingOverrides));
        Store = new ObjectStoreWithOutages(new InMemoryObjectStore());
        Storage = new CountingObjectStore(Store);
        Services = new CustomCodeServices(Storage, Host.Clock, new CustomCodeOptions());
        CustomCode = new CustomCodeFunctionInvoker(Services);
        Host.UseFunctions(CustomCode);
        Bus = new ServiceBusFake(Host.ServiceProvider("/serviceProviders/serviceBus"), Host.Clock);
        Sap = new SapFake(Host.ServiceProvider(SapFake.ServiceProviderId));
        Host.ApiConnections.On("twilio", "post", TwilioMessagesPath, SendSms);
        Host.ApiConnections.On("twilio", "get", TwilioMessagesPath, ListSms);
        Host.ApiConnections.On("teams", "post", TeamsPostCardPath, _ => Next(teamsAnswers, () => new ConnectorResponse(201, new JObject { ["id"] = "1700000000000" })));
        Host.Http.Respond(_ => FakeHttpHandler.Response(201, """{"status":"Reserved"}"""));
    }

    public WorkflowTestHost Host { get; }

    public ObjectStoreWithOutages Store { get; }

    /// <summary>The custom code's storage operations so far (what "storage transactions per message" counts).</summary>
    public CountingObjectStore Storage { get; }

    public CustomCodeServices Services { get; }

    /// <summary>The real custom-code functions (the local app's adapter over the function catalog).</summary>
    public CustomCodeFunctionInvoker CustomCode { get; }

    public ServiceBusFake Bus { get; }

    public SapFake Sap { get; }

    /// <summary>The warehouse REST API (answers 201 unless a response is queued with <c>Then</c>).</summary>
    public FakeHttpHandler Warehouse => Host.Http;

    public IReadOnlyList<ApiConnectionRequest> Twilio => Host.ApiConnections.Calls.Where(c => c.ConnectionName == "twilio").ToList();

    /// <summary>The SMS sent through the Twilio connector ("Send Text Message (SMS)", <c>post</c>).</summary>
    public IReadOnlyList<ApiConnectionRequest> TwilioSends => Twilio.Where(c => c.Method.Equals("post", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The messages Twilio accepted (what "List Messages" lists), oldest first.</summary>
    public IReadOnlyList<JObject> TwilioAccepted
    {
        get { lock (gate) return twilioMessages.ToList(); }
    }

    /// <summary>The Twilio connector's "List Messages" calls (<c>get</c>).</summary>
    public IReadOnlyList<ApiConnectionRequest> TwilioLists => Twilio.Where(c => c.Method.Equals("get", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Runs during the next SMS send, after Twilio accepted it (<c>true</c>) or before (<c>false</c>): a test
    /// kills the run there as a dying host would.</summary>
    public (Action During, bool AfterAccepting)? DuringNextSend { get; set; }

    public IReadOnlyList<ApiConnectionRequest> Teams => Host.ApiConnections.Calls.Where(c => c.ConnectionName == "teams").ToList();

    /// <summary>Twilio's (or Teams') answer to the next calls, in order; afterwards they accept again.</summary>
    public void AnswerTwilioWith(ConnectorResponse answer, int times = 1) => Enqueue(twilioAnswers, answer, times);

    public void AnswerTeamsWith(ConnectorResponse answer, int times = 1) => Enqueue(teamsAnswers, answer, times);

    /// <summary>
    /// The message the intake would publish for a sample event: the sample from <c>Artifacts/Samples</c>
    /// through the real <c>BuildServiceBusMessage</c> (the same object <c>sendMessage</c> takes).
    /// </summary>
    public async Task<JObject> PublishedMessage(string sample, Action<JObject>? change = null)
    {
        var orderEvent = JToken.Parse(Project.Sample(sample));
        if (orderEvent is JObject o) change?.Invoke(o);
        var built = await CustomCode.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = orderEvent }, CancellationToken.None);
        Assert.IsTrue(built.Value<bool>("isValid"), $"{sample} must build: {built["errors"]}");
        return (JObject)built["message"]!;
    }

    /// <summary>A sample published and delivered once (delivery count 1).</summary>
    public async Task<JObject> Delivery(string sample, Action<JObject>? change = null) => Bus.Deliver(await PublishedMessage(sample, change));

    /// <summary>
    /// Fires the workflow's trigger with one delivery in the shape its trigger produces: the message itself for
    /// the session trigger (<c>onSingleNewMessageFromTopicSession</c>, no splitOn), a one-item array for the
    /// V2 peek-lock batch triggers that the workflows debatch with <c>splitOn</c>. Returns the finished run.
    /// </summary>
    public async Task<WorkflowRun> DeliverAsync(string workflow, JObject delivery)
    {
        var debatches = Host.App.GetWorkflow(workflow).Trigger.Json["splitOn"] is not null;
        var runs = await Host.TriggerAsync(workflow, new JObject { ["body"] = debatches ? new JArray(delivery) : delivery });
        Assert.AreEqual(1, runs.Count, $"one delivery must start one run of {workflow}");
        return runs[0];
    }

    /// <summary>The portal's Resubmit: the same trigger outputs (and so the same, long-settled lock token) again.</summary>
    public Task<WorkflowRun> ResubmitAsync(WorkflowRun run) => Host.Engine.ResubmitAsync(run.Id);

    /// <summary>The idempotency record of a subscriber for a business message id, or null.</summary>
    public async Task<JObject?> IdempotencyRecord(string consumer, string messageId)
    {
        var stored = await Store.ReadAsync(Services.Options.IdempotencyContainer, IdempotencyStore.RecordName(consumer, messageId));
        return stored is null ? null : JObject.Parse(System.Text.Encoding.UTF8.GetString(stored.Content.Span));
    }

    public async Task<IReadOnlyList<string>> Objects(string container, string prefix = "")
    {
        var names = new List<string>();
        await foreach (var name in Store.ListAsync(container, prefix)) names.Add(name);
        return names;
    }

    private ConnectorResponse SendSms(ApiConnectionRequest request)
    {
        var during = DuringNextSend;
        DuringNextSend = null;
        if (during is { AfterAccepting: false } before) before.During();
        var answer = Next(twilioAnswers, () =>
        {
            var sid = $"SM{Interlocked.Increment(ref smsCounter):D32}";
            var message = new JObject
            {
                ["sid"] = sid,
                ["status"] = "queued",
                ["to"] = request.Body?["to"],
                ["from"] = request.Body?["from"],
                ["body"] = request.Body?["body"],
                ["date_created"] = Host.Clock.GetUtcNow().ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
            };
            lock (gate) twilioMessages.Add(message);
            return new ConnectorResponse(201, message.DeepClone());
        });
        if (during is { AfterAccepting: true } after) after.During();
        return answer;
    }

    /// <summary>"List Messages": Twilio's list shape, the messages sent to <c>To</c>, newest first, at most <c>PageSize</c>.</summary>
    private ConnectorResponse ListSms(ApiConnectionRequest request) => Next(twilioAnswers, () =>
    {
        var to = request.Queries?.Value<string>("To");
        var pageSize = request.Queries?["PageSize"]?.Value<int?>() ?? 50;
        JArray listed;
        lock (gate) listed = new JArray(twilioMessages.Where(m => to is null || m.Value<string>("to") == to).Reverse().Take(pageSize).Select(m => m.DeepClone()));
        return new ConnectorResponse(200, new JObject { ["messages"] = listed, ["page"] = 0, ["page_size"] = pageSize });
    });

    private ConnectorResponse Next(Queue<ConnectorResponse> answers, Func<ConnectorResponse> otherwise)
    {
        lock (gate) return answers.TryDequeue(out var answer) ? answer : otherwise();
    }

    private void Enqueue(Queue<ConnectorResponse> answers, ConnectorResponse answer, int times)
    {
        lock (gate)
        {
            for (var i = 0; i < times; i++) answers.Enqueue(answer);
        }
    }

    public void Dispose() => Host.Dispose();
}

/// <summary>Assertions that read like the behaviour they check.</summary>
public static class RunExpectations
{
    public static void ShouldHaveSucceeded(this WorkflowRun run) =>
        Assert.AreEqual(WorkflowStatus.Succeeded, run.Status, run.Describe());

    public static void ShouldHaveFailedWith(this WorkflowRun run, string code)
    {
        Assert.AreEqual(WorkflowStatus.Failed, run.Status, run.Describe());
        Assert.AreEqual(code, run.Error?.Value<string>("code"), run.Describe());
    }

    public static ActionRun Succeeded(this WorkflowRun run, string action)
    {
        var record = run.Action(action);
        Assert.AreEqual(WorkflowStatus.Succeeded, record.Status, run.Describe());
        return record;
    }

    /// <summary>The outcome the run's classifier named (Classify_outcome's body).</summary>
    public static string? Outcome(this WorkflowRun run) => run.Action("Classify_outcome").Body()?.Value<string>("outcome");

    public static JToken? Decision(this WorkflowRun run) => run.Action("Decide_settlement").Body();
}
